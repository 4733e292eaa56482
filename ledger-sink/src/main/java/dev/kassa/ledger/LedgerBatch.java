package dev.kassa.ledger;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;

/**
 * The unit the ledger writer commits in one Postgres transaction: consumed records in offset order
 * per partition, and the offset advance of every partition they came from. Writing the rows and the
 * advances together is what lets a crash at any point neither lose nor duplicate a row.
 *
 * @param records the records, in the order they were consumed
 * @param offsets one advance per partition that has records, sorted by topic and partition so that
 *                concurrent writers lock {@code sink_offsets} rows in one order
 */
public record LedgerBatch(List<LedgerRecord> records, List<OffsetAdvance> offsets) {

    private static final Comparator<TopicPartition> PARTITION_ORDER =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    public LedgerBatch {
        records = List.copyOf(records);
        offsets = offsets.stream().sorted(Comparator.comparing(OffsetAdvance::partition, PARTITION_ORDER)).toList();
    }

    /**
     * The batch of {@code records}, advancing each of their partitions past its last record.
     *
     * @param storedOffsets for every partition among the records, the {@code next_offset} the sink read
     *                      from Postgres (empty when none was stored)
     * @throws IllegalArgumentException when a partition's offsets do not increase, start before the
     *                                  stored offset, or have no stored offset known
     */
    public static LedgerBatch of(List<LedgerRecord> records, Map<TopicPartition, OptionalLong> storedOffsets) {
        Objects.requireNonNull(storedOffsets, "storedOffsets");
        Map<TopicPartition, Long> lastOffsets = new HashMap<>();
        for (LedgerRecord record : records) {
            OptionalLong stored = storedOffsets.get(record.partition());
            if (stored == null) {
                throw new IllegalArgumentException("no stored offset known for " + record.partition()
                        + ": the sink must seek from Postgres before it writes");
            }
            long floor = lastOffsets.containsKey(record.partition())
                    ? lastOffsets.get(record.partition()) + 1 : stored.orElse(0);
            if (record.offset() < floor) {
                throw new IllegalArgumentException("record " + record.partition() + "@" + record.offset()
                        + " comes before offset " + floor + " that the batch must start from");
            }
            lastOffsets.put(record.partition(), record.offset());
        }
        List<OffsetAdvance> offsets = new ArrayList<>();
        lastOffsets.forEach((partition, last) ->
                offsets.add(new OffsetAdvance(partition, storedOffsets.get(partition), last + 1)));
        return new LedgerBatch(records, offsets);
    }

    /** The part of this batch read from {@code topic}: its records and its partitions' advances. */
    public LedgerBatch onlyTopic(String topic) {
        return new LedgerBatch(
                records.stream().filter(r -> r.partition().topic().equals(topic)).toList(),
                offsets.stream().filter(o -> o.partition().topic().equals(topic)).toList());
    }

    /** True when the batch has no records. */
    public boolean isEmpty() {
        return records.isEmpty();
    }

    /** An upper bound on the rows the batch writes, offsets included. */
    public int rowsMax() {
        return records.stream().mapToInt(LedgerRecord::rowsMax).sum() + offsets.size();
    }
}
