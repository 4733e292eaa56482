package dev.kassa.topology.refund;

import dev.kassa.model.LedgerEntry;
import dev.kassa.model.LedgerTransactions;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentEvent;
import dev.kassa.model.PaymentEventType;
import dev.kassa.model.Refund;
import java.time.Instant;
import java.util.List;

/**
 * Builds the events of a refund: {@code RefundRequested} then {@code RefundCompleted} or
 * {@code RefundFailed}, numbered on from the payment's last event. Each carries the payment's state
 * after it and the refund's; only the completion books entries, one zero-sum transaction that moves
 * the amount from the payment's destination back to its source.
 */
final class RefundEvents {

    private RefundEvents() {
    }

    static PaymentEvent requested(Payment payment, Refund pending, long sequence, Instant occurredAt) {
        return PaymentEvent.ofRefund(PaymentEventType.RefundRequested, sequence, occurredAt, payment, List.of(), pending);
    }

    /** {@code refunded} is the payment with the refund already counted in {@code amountRefunded}. */
    static PaymentEvent completed(Payment refunded, Refund completed, long sequence, Instant occurredAt) {
        List<LedgerEntry> entries = List.of(
                new LedgerEntry(refunded.destination(), -completed.amount(), refunded.currency()),
                new LedgerEntry(refunded.source(), completed.amount(), refunded.currency()));
        LedgerTransactions.requireBalanced(completed.id(), entries);
        return PaymentEvent.ofRefund(PaymentEventType.RefundCompleted, sequence, occurredAt, refunded, entries, completed);
    }

    static PaymentEvent failed(Payment payment, Refund failed, long sequence, Instant occurredAt) {
        return PaymentEvent.ofRefund(PaymentEventType.RefundFailed, sequence, occurredAt, payment, List.of(), failed);
    }
}
