package dev.kassa.ledger.postgres;

import dev.kassa.ledger.DeadLetterRecord;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code dead_letters} read as the outbox of the dead-letter topic: rows whose {@code published_at}
 * is null are handed to a {@link Publisher}, a bounded page at a time, and those it confirms are
 * marked published in the same transaction that locked them. The rows stay locked while they are
 * published ({@code FOR UPDATE SKIP LOCKED}), so several sinks relaying at once share the rows rather
 * than publish each twice; a crash after the publish and before the commit publishes them again
 * (at least once).
 */
public final class DeadLetterOutbox {

    /** The most rows one call publishes: bounds the time one relay holds the sink's loop and a transaction. */
    public static final int ROWS_PER_CALL_MAX = 500;

    /** Publishes dead letters and says which of them the destination acknowledged. */
    @FunctionalInterface
    public interface Publisher {

        /**
         * Publishes {@code deadLetters} and returns the ones acknowledged; a row left out stays
         * unpublished and is offered again by a later call. Must return within a bounded time.
         */
        List<DeadLetterRecord> publish(List<DeadLetterRecord> deadLetters);
    }

    /** What one call did: the unpublished rows it found and how many of them it marked published. */
    public record Relayed(int found, int published) {

        /** True when rows were left behind: a full page, or rows the publisher did not confirm. */
        public boolean leftRows(int limit) {
            return found == limit || published < found;
        }
    }

    private static final String UNPUBLISHED = "SELECT topic, partition, record_offset, reason, raw_key, raw_value"
            + " FROM dead_letters WHERE published_at IS NULL"
            + " ORDER BY recorded_at, topic, partition, record_offset LIMIT ? FOR UPDATE SKIP LOCKED";

    private static final String MARK_PUBLISHED = "UPDATE dead_letters SET published_at = now()"
            + " WHERE (topic, partition, record_offset) IN"
            + " (SELECT * FROM unnest(?::text[], ?::int[], ?::bigint[]))";

    private DeadLetterOutbox() {
    }

    /**
     * Publishes up to {@code limit} (1..{@value #ROWS_PER_CALL_MAX}) unpublished dead letters, oldest
     * first, and marks the acknowledged ones published.
     */
    public static Relayed relay(DataSource dataSource, int limit, Publisher publisher) throws SQLException {
        if (limit < 1 || limit > ROWS_PER_CALL_MAX) {
            throw new IllegalArgumentException("limit must be within 1.." + ROWS_PER_CALL_MAX + ": " + limit);
        }
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                List<DeadLetterRecord> unpublished = unpublished(connection, limit);
                List<DeadLetterRecord> published = unpublished.isEmpty() ? List.of() : publisher.publish(unpublished);
                markPublished(connection, published);
                connection.commit();
                return new Relayed(unpublished.size(), published.size());
            } catch (SQLException | RuntimeException e) {
                rollback(connection, e);
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    private static List<DeadLetterRecord> unpublished(Connection connection, int limit) throws SQLException {
        List<DeadLetterRecord> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(UNPUBLISHED)) {
            statement.setInt(1, limit);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(new DeadLetterRecord(new TopicPartition(result.getString(1), result.getInt(2)),
                            result.getLong(3), result.getString(4), result.getBytes(5), result.getBytes(6)));
                }
            }
        }
        return rows;
    }

    private static void markPublished(Connection connection, List<DeadLetterRecord> published) throws SQLException {
        if (published.isEmpty()) {
            return;
        }
        Array topics = connection.createArrayOf("text",
                published.stream().map(row -> row.partition().topic()).toArray(String[]::new));
        Array partitions = connection.createArrayOf("int4",
                published.stream().map(row -> row.partition().partition()).toArray(Integer[]::new));
        Array offsets = connection.createArrayOf("int8",
                published.stream().map(DeadLetterRecord::offset).toArray(Long[]::new));
        try (PreparedStatement statement = connection.prepareStatement(MARK_PUBLISHED)) {
            statement.setArray(1, topics);
            statement.setArray(2, partitions);
            statement.setArray(3, offsets);
            statement.executeUpdate();
        } finally {
            topics.free();
            partitions.free();
            offsets.free();
        }
    }

    private static void rollback(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }
}
