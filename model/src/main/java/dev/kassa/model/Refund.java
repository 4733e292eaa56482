package dev.kassa.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A refund of (part of) a completed payment, as carried by the refund events on
 * {@code payments.events}: its state after the event. {@code amount} is what the refund asked for,
 * resolved by the topology when the request left it out (the rest of the payment), so it is zero
 * only for a failed refund of a payment with nothing left, or in the API's pending answer before the
 * topology resolved it. {@code created} is when the API received the request.
 */
public record Refund(
        String id,
        String paymentId,
        String merchantId,
        String idempotencyKey,
        String requestFingerprint,
        long amount,
        String currency,
        RefundStatus status,
        DeclineCode failureCode,
        Instant created) {

    /**
     * How long after its creation a payment can be refunded, as with most card networks and Stripe:
     * the API refuses later refunds with {@code payment_not_refundable}, and the topology forgets
     * what is left to refund a day after.
     */
    public static final Duration WINDOW = Duration.ofDays(180);

    public Refund {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(paymentId, "paymentId");
        Objects.requireNonNull(merchantId, "merchantId");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(created, "created");
        if (!Currencies.isCanonical(currency)) {
            throw new IllegalArgumentException("refund " + id + ": not a canonical currency: " + currency);
        }
        if (amount < 0 || amount > Money.AMOUNT_MAX || (amount == 0 && status == RefundStatus.COMPLETED)) {
            throw new IllegalArgumentException("refund " + id + ": amount out of bounds for a " + status.wireName()
                    + " refund: " + amount);
        }
        if ((status == RefundStatus.FAILED) != (failureCode != null)) {
            throw new IllegalArgumentException("refund " + id + ": a failure code goes with status failed, and only"
                    + " with it: " + status.wireName() + ", " + failureCode);
        }
    }

    /** The refund {@code command} asks for, of {@code amount} in {@code currency}, before it is decided. */
    public static Refund requested(CreateRefund command, long amount, String currency) {
        return new Refund(command.refundId(), command.paymentId(), command.merchantId(), command.idempotencyKey(),
                command.requestFingerprint(), amount, currency, RefundStatus.PENDING, null, command.requestedAt());
    }

    public Refund completed() {
        return new Refund(id, paymentId, merchantId, idempotencyKey, requestFingerprint, amount, currency,
                RefundStatus.COMPLETED, null, created);
    }

    public Refund failed(DeclineCode code) {
        return new Refund(id, paymentId, merchantId, idempotencyKey, requestFingerprint, amount, currency,
                RefundStatus.FAILED, Objects.requireNonNull(code, "code"), created);
    }
}
