package dev.kassa.ledger.sink;

import dev.kassa.ledger.OffsetAdvance;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * What the sink believes {@code sink_offsets} holds for each assigned partition. A partition is
 * either <em>known</em> (sought to its stored offset; batches may be written for it) or
 * <em>pending</em> (newly assigned, or invalidated by a failed batch; paused until it is sought again
 * from Postgres). Used by the consumer thread only.
 */
final class PartitionPositions {

    private final Map<TopicPartition, OptionalLong> known = new HashMap<>();
    private final Set<TopicPartition> pending = new HashSet<>();

    void assigned(Collection<TopicPartition> partitions) {
        partitions.forEach(known::remove);
        pending.addAll(partitions);
    }

    void revoked(Collection<TopicPartition> partitions) {
        partitions.forEach(known::remove);
        pending.removeAll(partitions);
    }

    /** After a failed batch nothing read since the last seek can be trusted: every partition is sought again. */
    void invalidateAll() {
        pending.addAll(known.keySet());
        known.clear();
    }

    /** Records that the partitions were sought to these stored offsets. */
    void sought(Map<TopicPartition, OptionalLong> stored) {
        stored.forEach((partition, offset) -> {
            if (pending.remove(partition)) {
                known.put(partition, offset);
            }
        });
    }

    /** Records a committed batch's advances. */
    void advanced(List<OffsetAdvance> advances) {
        for (OffsetAdvance advance : advances) {
            if (known.containsKey(advance.partition())) {
                known.put(advance.partition(), OptionalLong.of(advance.nextOffset()));
            }
        }
    }

    Set<TopicPartition> pending() {
        return Set.copyOf(pending);
    }

    Map<TopicPartition, OptionalLong> known() {
        return Map.copyOf(known);
    }
}
