package dev.kassa.ledger.postgres;

import dev.kassa.ledger.OffsetAdvance;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;

/** Reads and fences the sink's consumed offsets in {@code sink_offsets}. */
final class SinkOffsets {

    private SinkOffsets() {
    }

    /** The stored {@code next_offset} of each partition, empty for a partition without a row. */
    static Map<TopicPartition, OptionalLong> read(Connection connection, String consumerGroup,
                                                  Collection<TopicPartition> partitions) throws SQLException {
        Map<TopicPartition, OptionalLong> stored = new HashMap<>();
        partitions.forEach(partition -> stored.put(partition, OptionalLong.empty()));
        String sql = "SELECT topic, partition, next_offset FROM sink_offsets WHERE consumer_group = ?";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, consumerGroup);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    TopicPartition partition = new TopicPartition(rows.getString(1), rows.getInt(2));
                    if (stored.containsKey(partition)) {
                        stored.put(partition, OptionalLong.of(rows.getLong(3)));
                    }
                }
            }
        }
        return stored;
    }

    /**
     * Moves every partition's stored offset, each only from the offset the batch expects: an existing
     * row is updated only where it still holds the expected offset, a missing row is inserted only if
     * nobody inserted it meanwhile.
     *
     * @throws OffsetFencedException when another writer moved a partition first
     */
    static void advance(Connection connection, String consumerGroup, List<OffsetAdvance> advances)
            throws SQLException {
        List<OffsetAdvance> updates = advances.stream().filter(a -> a.expectedNextOffset().isPresent()).toList();
        List<OffsetAdvance> inserts = advances.stream().filter(a -> a.expectedNextOffset().isEmpty()).toList();
        update(connection, consumerGroup, updates);
        for (OffsetAdvance advance : inserts) {
            insert(connection, consumerGroup, advance);
        }
    }

    private static void update(Connection connection, String consumerGroup, List<OffsetAdvance> updates)
            throws SQLException {
        if (updates.isEmpty()) {
            return;
        }
        String sql = "UPDATE sink_offsets SET next_offset = ?"
                + " WHERE consumer_group = ? AND topic = ? AND partition = ? AND next_offset = ?";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (OffsetAdvance advance : updates) {
                statement.setLong(1, advance.nextOffset());
                statement.setString(2, consumerGroup);
                statement.setString(3, advance.partition().topic());
                statement.setInt(4, advance.partition().partition());
                statement.setLong(5, advance.expectedNextOffset().getAsLong());
                statement.addBatch();
            }
            int[] counts = statement.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] != 1) {
                    OffsetAdvance advance = updates.get(i);
                    throw new OffsetFencedException(advance.partition(), "stored offset of " + advance.partition()
                            + " for group " + consumerGroup + " is no longer " + advance.expectedNextOffset().getAsLong()
                            + ": another sink instance wrote this partition");
                }
            }
        }
    }

    private static void insert(Connection connection, String consumerGroup, OffsetAdvance advance)
            throws SQLException {
        String sql = "INSERT INTO sink_offsets (consumer_group, topic, partition, next_offset) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (consumer_group, topic, partition) DO NOTHING";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, consumerGroup);
            statement.setString(2, advance.partition().topic());
            statement.setInt(3, advance.partition().partition());
            statement.setLong(4, advance.nextOffset());
            if (statement.executeUpdate() != 1) {
                throw new OffsetFencedException(advance.partition(), "an offset of " + advance.partition()
                        + " for group " + consumerGroup + " was stored meanwhile: another sink instance wrote this partition");
            }
        }
    }
}
