package dev.kassa.topology.refund;

import dev.kassa.model.Payment;
import dev.kassa.model.PaymentKind;
import dev.kassa.model.PaymentStatus;
import java.util.Objects;

/**
 * What the {@code refundable-payments} store keeps per completed payment, at the partition of the
 * payment's destination account: the payment as of its last event (so {@code amountRefunded} is
 * what completed refunds took back) and the sequence number its next event gets. This task emits
 * every event of the payment after {@code PaymentCompleted}, so the numbering has one owner.
 */
public record RefundablePayment(Payment payment, long nextSequence) {

    public RefundablePayment {
        Objects.requireNonNull(payment, "payment");
        if (payment.kind() != PaymentKind.PAYMENT && payment.kind() != PaymentKind.CARD) {
            throw new IllegalArgumentException("only payments are refundable, not " + payment.kind() + " " + payment.id());
        }
        if (payment.status() != PaymentStatus.COMPLETED && payment.status() != PaymentStatus.PARTIALLY_REFUNDED
                && payment.status() != PaymentStatus.REFUNDED) {
            throw new IllegalArgumentException("payment " + payment.id() + " is " + payment.status().wireName()
                    + ", not refundable");
        }
        if (nextSequence < 2) {
            throw new IllegalArgumentException("payment " + payment.id() + " has had at least its PaymentCompleted, "
                    + "so its next event is not " + nextSequence);
        }
    }

    /** What is left to refund, in minor units. */
    public long remaining() {
        return payment.amount() - payment.amountRefunded();
    }
}
