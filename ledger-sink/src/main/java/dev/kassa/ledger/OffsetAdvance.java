package dev.kassa.ledger;

import java.util.Objects;
import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;

/**
 * How a batch moves one partition's stored offset: from {@code expectedNextOffset} (what the sink read
 * from {@code sink_offsets} when it last sought; empty when no row existed) to {@code nextOffset}. The
 * writer applies it only if the stored offset is still the expected one, which fences off a sink
 * instance that lost the partition to another.
 */
public record OffsetAdvance(TopicPartition partition, OptionalLong expectedNextOffset, long nextOffset) {

    public OffsetAdvance {
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(expectedNextOffset, "expectedNextOffset");
        if (nextOffset < 1) {
            throw new IllegalArgumentException("next offset of " + partition + " must be positive: " + nextOffset);
        }
        if (expectedNextOffset.isPresent() && expectedNextOffset.getAsLong() > nextOffset) {
            throw new IllegalArgumentException("offset of " + partition + " would move back from "
                    + expectedNextOffset.getAsLong() + " to " + nextOffset);
        }
    }
}
