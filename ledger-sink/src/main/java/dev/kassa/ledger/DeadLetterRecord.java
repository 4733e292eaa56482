package dev.kassa.ledger;

import java.util.Arrays;
import java.util.Objects;
import org.apache.kafka.common.TopicPartition;

/**
 * A record the sink could not decode, or an event it decoded that would break a ledger invariant,
 * kept with its raw bytes and the reason so that an operator can repair and replay it. It is never
 * dropped silently: it is written to {@code dead_letters} and published from there to
 * {@code kassa.dead-letter}.
 */
public record DeadLetterRecord(TopicPartition partition, long offset, String reason, byte[] key, byte[] value)
        implements LedgerRecord {

    /** The longest reason stored; {@code dead_letters.reason} checks the same bound. */
    public static final int REASON_LENGTH_MAX = 2000;

    public DeadLetterRecord {
        Objects.requireNonNull(partition, "partition");
        Objects.requireNonNull(reason, "reason");
        if (offset < 0) {
            throw new IllegalArgumentException("offset of dead letter in " + partition + " must not be negative: " + offset);
        }
        reason = reason.isBlank() ? "no reason given" : reason;
        reason = reason.length() > REASON_LENGTH_MAX ? reason.substring(0, REASON_LENGTH_MAX) : reason;
        key = key == null ? null : key.clone();
        value = value == null ? null : value.clone();
    }

    @Override
    public byte[] key() {
        return key == null ? null : key.clone();
    }

    @Override
    public byte[] value() {
        return value == null ? null : value.clone();
    }

    @Override
    public int rowsMax() {
        return 1;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DeadLetterRecord that && partition.equals(that.partition) && offset == that.offset
                && reason.equals(that.reason) && Arrays.equals(key, that.key) && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(partition, offset, reason, Arrays.hashCode(key), Arrays.hashCode(value));
    }

    @Override
    public String toString() {
        return "DeadLetterRecord[" + partition + "@" + offset + ": " + reason + "]";
    }
}
