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
 * Builds the lifecycle events of a payment. A payment or deposit decided in the transaction that
 * took its command (nearly all of them) has one event until refunds exist: its outcome,
 * {@code PaymentCompleted} or {@code PaymentFailed}, at sequence {@link #DECIDED_AT_ONCE}. Only a
 * payment that takes the long way, whose source is debited before its destination's task decides it,
 * publishes {@code PaymentInitiated} (sequence 1) when its source is debited, and its outcome later at
 * {@link #AFTER_INITIATED}: an initiation committed together with its outcome would tell nobody
 * anything. Refund events number on from the outcome (see docs/events.md, "Ordering"). Keeping the
 * numbering here means no stage can skip or repeat a sequence number.
 */
public final class PaymentEvents {

    /** The sequence of {@code PaymentInitiated}, published only on the long way. */
    public static final long INITIATED_SEQUENCE = 1;

    /** The sequence of an outcome decided in the transaction that took the command: the payment's only event. */
    public static final long DECIDED_AT_ONCE = 1;

    /** The sequence of an outcome that follows the payment's {@code PaymentInitiated}. */
    public static final long AFTER_INITIATED = INITIATED_SEQUENCE + 1;

    private PaymentEvents() {
    }

    /** The sequence of a payment's outcome, given whether its {@code PaymentInitiated} was published. */
    public static long outcomeSequence(boolean initiatedPublished) {
        return initiatedPublished ? AFTER_INITIATED : DECIDED_AT_ONCE;
    }

    /** The source of {@code pending} was debited and its destination's task decides the rest: the long way. */
    public static PaymentEvent initiated(Payment pending, Instant occurredAt) {
        return PaymentEvent.of(PaymentEventType.PaymentInitiated, INITIATED_SEQUENCE, occurredAt, pending, List.of());
    }

    /**
     * The payment completed: its source gave {@code amount} and its destination received it. The two
     * entries are checked to sum to zero before the event exists, so an unbalanced transaction is
     * never published.
     */
    public static PaymentEvent completed(Payment payment, long sequence, Instant occurredAt) {
        List<LedgerEntry> entries = List.of(
                new LedgerEntry(payment.source(), -payment.amount(), payment.currency()),
                new LedgerEntry(payment.destination(), payment.amount(), payment.currency()));
        LedgerTransactions.requireBalanced(payment.id(), entries);
        return PaymentEvent.of(PaymentEventType.PaymentCompleted, outcome(payment, sequence), occurredAt,
                payment.completed(), entries);
    }

    /** The payment failed with {@code code}; no money moved, so the event books no entries. */
    public static PaymentEvent failed(Payment payment, DeclineCode code, long sequence, Instant occurredAt) {
        return PaymentEvent.of(PaymentEventType.PaymentFailed, outcome(payment, sequence), occurredAt,
                payment.failed(code), List.of());
    }

    /** An outcome is the payment's first event, or the one right after its {@code PaymentInitiated}. */
    private static long outcome(Payment payment, long sequence) {
        if (sequence != DECIDED_AT_ONCE && sequence != AFTER_INITIATED) {
            throw new IllegalArgumentException("payment " + payment.id() + ": an outcome is event " + DECIDED_AT_ONCE
                    + " or " + AFTER_INITIATED + ", not " + sequence);
        }
        return sequence;
    }
}
