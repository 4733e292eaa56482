package dev.kassa.ledger.postgres;

import dev.kassa.ledger.DeadLetterRecord;
import dev.kassa.ledger.LedgerBatch;
import dev.kassa.ledger.LedgerRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import javax.sql.DataSource;
import org.apache.kafka.common.TopicPartition;

/**
 * Writes one {@link LedgerBatch} to the Postgres ledger in one transaction: the consumed offsets
 * (fenced on the offsets the batch expects), the applied-event ids, accounts, payments, their
 * idempotency keys, refunds, ledger entries, balances and dead letters. Either all of it commits or none of it does, so the offsets in
 * {@code sink_offsets} always say exactly which records the rows reflect.
 *
 * <p>Entries are checked to sum to zero per currency before a connection is even taken, and an event
 * whose entries do not becomes a dead letter ({@code InvariantScreen}); the deferred trigger on
 * {@code ledger_entries} checks the same rule again at commit and fails the whole batch if anything
 * slipped through. Thread-safe: each call uses its own connection.
 */
public final class LedgerWriter {

    /** Runs inside the transaction just before commit; tests inject faults here. */
    @FunctionalInterface
    public interface CommitHook {

        /** Does nothing. */
        CommitHook NONE = batch -> { };

        /** Called with the batch whose rows are written but not yet committed; throwing rolls it back. */
        void beforeCommit(LedgerBatch batch) throws SQLException;
    }

    /** How long a payment's idempotency key is kept when no retention is given. */
    public static final Duration KEY_RETENTION_DEFAULT = Duration.ofDays(30);

    private final DataSource dataSource;
    private final String consumerGroup;
    private final CommitHook commitHook;
    private final Duration keyRetention;

    /**
     * A writer keeping idempotency keys for the default 30 days.
     *
     * @param consumerGroup the consumer group whose offsets this writer stores and fences
     */
    public LedgerWriter(DataSource dataSource, String consumerGroup) {
        this(dataSource, consumerGroup, CommitHook.NONE, KEY_RETENTION_DEFAULT);
    }

    public LedgerWriter(DataSource dataSource, String consumerGroup, CommitHook commitHook) {
        this(dataSource, consumerGroup, commitHook, KEY_RETENTION_DEFAULT);
    }

    /**
     * @param keyRetention how long after its payment's creation an {@code idempotency_keys} row names
     *                     that payment
     */
    public LedgerWriter(DataSource dataSource, String consumerGroup, CommitHook commitHook, Duration keyRetention) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.consumerGroup = Objects.requireNonNull(consumerGroup, "consumerGroup");
        this.commitHook = Objects.requireNonNull(commitHook, "commitHook");
        this.keyRetention = Objects.requireNonNull(keyRetention, "keyRetention");
        if (consumerGroup.isBlank()) {
            throw new IllegalArgumentException("consumerGroup must not be blank");
        }
    }

    /** The {@code next_offset} stored for each partition; empty where none is stored yet. */
    public Map<TopicPartition, OptionalLong> storedOffsets(Collection<TopicPartition> partitions) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            try {
                return SinkOffsets.read(connection, consumerGroup, partitions);
            } finally {
                endReadOnly(connection);
            }
        }
    }

    /**
     * Writes {@code batch} in one transaction and commits it. A payment event that would break a ledger
     * invariant (entries not summing to zero per currency, in another currency than the payment's, a
     * completion without entries) is written as a dead letter with its bytes and the reason, and the
     * rest of the batch as usual.
     *
     * @throws OffsetFencedException      when another writer moved one of the batch's partitions first
     * @throws UnopenedAccountsException  when entries name accounts without a row
     * @throws SQLException               when Postgres fails or rejects a row; nothing is committed
     */
    public WriteResult write(LedgerBatch batch) throws SQLException {
        if (batch.isEmpty()) {
            return WriteResult.NOTHING;
        }
        // Decided before a connection is taken and from the events alone, so a retry decides the same.
        LedgerBatch screened = new LedgerBatch(InvariantScreen.screen(batch.records()), batch.offsets());
        try (Connection connection = dataSource.getConnection()) {
            if (connection.getAutoCommit()) {
                connection.setAutoCommit(false);
            }
            try {
                WriteResult result = writeRows(connection, screened);
                commitHook.beforeCommit(batch);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(connection, e);
                throw e;
            }
        }
    }

    private WriteResult writeRows(Connection connection, LedgerBatch batch) throws SQLException {
        // Offsets first: the fenced update takes the partition's row lock, so a competing instance
        // waits here and then finds the offset moved, before it has done any other work.
        SinkOffsets.advance(connection, consumerGroup, batch.offsets());
        List<LedgerRecord> fresh = AppliedEvents.claim(connection, batch.records());
        LedgerRows rows = LedgerRows.of(fresh);
        LedgerStatements.insertAccounts(connection, rows.accounts());
        LedgerStatements.upsertPayments(connection, rows.payments());
        LedgerStatements.upsertKeys(connection, rows.keys(), keyRetention);
        LedgerStatements.upsertRefunds(connection, rows.refunds());
        LedgerStatements.insertEntries(connection, rows.entries());
        LedgerStatements.addToBalances(connection, rows.balanceDeltas());
        List<DeadLetterRecord> deadLetters = batch.records().stream()
                .filter(DeadLetterRecord.class::isInstance).map(DeadLetterRecord.class::cast).toList();
        LedgerStatements.insertDeadLetters(connection, deadLetters);
        int events = batch.records().size() - deadLetters.size();
        return new WriteResult(fresh.size(), events - fresh.size(), rows.entries().size(), deadLetters.size());
    }

    private static void rollback(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }

    private static void endReadOnly(Connection connection) throws SQLException {
        if (!connection.getAutoCommit()) {
            connection.rollback();
        }
    }
}
