package dev.kassa.ledger;

import dev.kassa.model.PaymentEvent;
import dev.kassa.model.Topics;
import java.util.Objects;
import org.apache.kafka.common.TopicPartition;

/**
 * A payment lifecycle event read from {@code payments.events} at {@code offset}, with the record's raw
 * key and value: an event that would break a ledger invariant becomes a {@link DeadLetterRecord}, and
 * a dead letter keeps the bytes that were read, not a re-encoding of them.
 */
public record PaymentEventRecord(TopicPartition partition, long offset, PaymentEvent event, byte[] key, byte[] value)
        implements LedgerRecord {

    public PaymentEventRecord {
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(value, "value");
        if (offset < 0) {
            throw new IllegalArgumentException("offset of event " + event.eventId() + " must not be negative: " + offset);
        }
        key = key == null ? null : key.clone();
        value = value.clone();
    }

    /**
     * The record of {@code event} as the topology writes it (key the payment id, value the topic's
     * JSON), for callers that hold an event rather than a consumed record.
     */
    public PaymentEventRecord(TopicPartition partition, long offset, PaymentEvent event) {
        this(partition, offset, event, encodedKey(partition, event), encodedValue(partition, event));
    }

    @Override
    public byte[] key() {
        return key == null ? null : key.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /**
     * The applied-events row, the payment row and a refund event's refund row, then per entry: the
     * entry, its balance update, its account.
     */
    @Override
    public int rowsMax() {
        return 2 + (event.refund() == null ? 0 : 1) + 3 * event.entries().size();
    }

    /** Two records are equal when they hold the same event at the same place; the bytes encode that event. */
    @Override
    public boolean equals(Object other) {
        return other instanceof PaymentEventRecord that && partition.equals(that.partition) && offset == that.offset
                && event.equals(that.event);
    }

    @Override
    public int hashCode() {
        return Objects.hash(partition, offset, event);
    }

    @Override
    public String toString() {
        return "PaymentEventRecord[" + partition + "@" + offset + ": " + event + ", " + value.length + " bytes]";
    }

    private static byte[] encodedKey(TopicPartition partition, PaymentEvent event) {
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(event, "event");
        return Topics.PAYMENTS_EVENTS.keySerde().serializer().serialize(partition.topic(), event.paymentId());
    }

    private static byte[] encodedValue(TopicPartition partition, PaymentEvent event) {
        return Topics.PAYMENTS_EVENTS.valueSerde().serializer().serialize(partition.topic(), event);
    }
}
