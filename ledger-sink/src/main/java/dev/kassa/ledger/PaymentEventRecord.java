package dev.kassa.ledger;

import dev.kassa.model.PaymentEvent;
import java.util.Objects;
import org.apache.kafka.common.TopicPartition;

/** A payment lifecycle event read from {@code payments.events} at {@code offset}. */
public record PaymentEventRecord(TopicPartition partition, long offset, PaymentEvent event) implements LedgerRecord {

    public PaymentEventRecord {
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(event, "event");
        if (offset < 0) {
            throw new IllegalArgumentException("offset of event " + event.eventId() + " must not be negative: " + offset);
        }
    }

    /** The applied-events row and the payment row, then per entry: the entry, its balance update, its account. */
    @Override
    public int rowsMax() {
        return 2 + 3 * event.entries().size();
    }
}
