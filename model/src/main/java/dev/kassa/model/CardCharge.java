package dev.kassa.model;

import java.util.Objects;

/**
 * A charge the topology asks the card processor to make, on {@code card.charges} (key: payment id),
 * or a refund of one ({@code refundId} set, the amount the refund's, {@code chargeId} the processor's
 * charge it refunds). The connector makes it with
 * {@link #idempotencyKey()} as the processor's idempotency key, so however often it is read and
 * sent, the processor makes it once; {@code reference} is the payment id, which the processor keeps
 * with the charge (how reconciliation finds it). {@code clearingAccount} is the currency's card
 * clearing account, the key the result is published under so that it reaches the task that asked.
 */
public record CardCharge(
        String paymentId,
        String refundId,
        String merchantId,
        long amount,
        String currency,
        String cardToken,
        String chargeId,
        String clearingAccount) {

    public CardCharge {
        Objects.requireNonNull(paymentId, "paymentId");
        Objects.requireNonNull(merchantId, "merchantId");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(clearingAccount, "clearingAccount");
        if (refundId == null) {
            Objects.requireNonNull(cardToken, () -> "charge of payment " + paymentId + " needs a card token");
        } else {
            Objects.requireNonNull(chargeId, () -> "refund " + refundId + " needs the charge it refunds");
        }
        new Money(amount, currency);
    }

    /** The charge of card payment {@code payment}, paid from {@code clearingAccount}. */
    public static CardCharge charge(Payment payment, String cardToken) {
        return new CardCharge(payment.id(), null, payment.merchantId(), payment.amount(), payment.currency(), cardToken,
                null, payment.source());
    }

    /** The refund {@code refund} of card payment {@code payment}, charged as {@code chargeId}. */
    public static CardCharge refund(Payment payment, Refund refund, String chargeId) {
        return new CardCharge(payment.id(), refund.id(), payment.merchantId(), refund.amount(), payment.currency(), null,
                chargeId, payment.source());
    }

    /** Whether this asks for a refund of the payment's charge rather than the charge itself. */
    public boolean isRefund() {
        return refundId != null;
    }

    /** The processor's idempotency key: the payment id for its charge, the refund id for a refund. */
    public String idempotencyKey() {
        return isRefund() ? refundId : paymentId;
    }
}
