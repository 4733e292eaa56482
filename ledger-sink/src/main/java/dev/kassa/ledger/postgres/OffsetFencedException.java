package dev.kassa.ledger.postgres;

import org.apache.kafka.common.TopicPartition;

/**
 * Thrown when a batch's offsets no longer follow the offsets stored in {@code sink_offsets}: another
 * sink instance took the partition over and wrote past them. The batch is rolled back whole; the sink
 * seeks again from Postgres.
 */
public final class OffsetFencedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final transient TopicPartition partition;

    public OffsetFencedException(TopicPartition partition, String message) {
        super(message);
        this.partition = partition;
    }

    /** The partition whose stored offset moved. */
    public TopicPartition partition() {
        return partition;
    }
}
