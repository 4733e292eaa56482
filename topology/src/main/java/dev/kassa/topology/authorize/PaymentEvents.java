package dev.kassa.topology.authorize;

import dev.kassa.model.DeclineCode;
import dev.kassa.model.LedgerEntry;
import dev.kassa.model.LedgerTransactions;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentEvent;
import dev.kassa.model.PaymentEventType;
import java.time.Instant;
import java.util.List;

/**
 * Builds the lifecycle events of a payment. A payment has exactly two events until refunds exist:
 * {@code PaymentInitiated} (sequence 1) and then either {@code PaymentCompleted} or
 * {@code PaymentFailed} (sequence 2). Keeping the numbering here means no stage can skip or repeat
 * a sequence number.
 */
public final class PaymentEvents {

    /** The sequence of {@code PaymentInitiated}. */
    public static final long INITIATED_SEQUENCE = 1;

    /** The sequence of the event that settles the payment, completed or failed. */
    public static final long SETTLED_SEQUENCE = 2;

    private PaymentEvents() {
    }

    public static PaymentEvent initiated(Payment pending, Instant occurredAt) {
        return PaymentEvent.of(PaymentEventType.PaymentInitiated, INITIATED_SEQUENCE, occurredAt, pending, List.of());
    }

    /**
     * The payment completed: its source gave {@code amount} and its destination received it. The two
     * entries are checked to sum to zero before the event exists, so an unbalanced transaction is
     * never published.
     */
    public static PaymentEvent completed(Payment payment, Instant occurredAt) {
        List<LedgerEntry> entries = List.of(
                new LedgerEntry(payment.source(), -payment.amount(), payment.currency()),
                new LedgerEntry(payment.destination(), payment.amount(), payment.currency()));
        LedgerTransactions.requireBalanced(payment.id(), entries);
        return PaymentEvent.of(PaymentEventType.PaymentCompleted, SETTLED_SEQUENCE, occurredAt, payment.completed(),
                entries);
    }

    /** The payment failed with {@code code}; no money moved, so the event books no entries. */
    public static PaymentEvent failed(Payment payment, DeclineCode code, Instant occurredAt) {
        return PaymentEvent.of(PaymentEventType.PaymentFailed, SETTLED_SEQUENCE, occurredAt, payment.failed(code),
                List.of());
    }
}
