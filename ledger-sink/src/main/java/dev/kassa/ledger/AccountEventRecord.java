package dev.kassa.ledger;

import dev.kassa.model.AccountEvent;
import java.util.Objects;
import org.apache.kafka.common.TopicPartition;

/** An account lifecycle event read from {@code accounts.events} at {@code offset}. */
public record AccountEventRecord(TopicPartition partition, long offset, AccountEvent event) implements LedgerRecord {

    public AccountEventRecord {
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(event, "event");
        if (offset < 0) {
            throw new IllegalArgumentException("offset of event " + event.eventId() + " must not be negative: " + offset);
        }
    }

    /** The applied-events row and the account row. */
    @Override
    public int rowsMax() {
        return 2;
    }
}
