package dev.kassa.model;

import java.util.Objects;

/**
 * What the card processor answered to a {@link CardCharge}, on {@code card.results} under the card
 * clearing account of the charge (the task that asked): {@code succeeded} with the processor's
 * charge (or refund) id, or {@code declined} with the reason as a {@link DeclineCode}. The connector
 * publishes one result per request it read, in the transaction that commits its read, so a result
 * may be published more than once only if the processor answered the same key again with the same
 * answer; the topology takes the first per payment and drops the rest.
 */
public record CardChargeResult(
        String paymentId,
        String refundId,
        String clearingAccount,
        boolean succeeded,
        String processorId,
        DeclineCode declineCode) {

    public CardChargeResult {
        Objects.requireNonNull(paymentId, "paymentId");
        Objects.requireNonNull(clearingAccount, "clearingAccount");
        if (succeeded == (declineCode != null)) {
            throw new IllegalArgumentException("result of payment " + paymentId
                    + ": a decline code comes with a declined charge, and only with one");
        }
    }

    public static CardChargeResult succeeded(CardCharge charge, String processorId) {
        return new CardChargeResult(charge.paymentId(), charge.refundId(), charge.clearingAccount(), true,
                Objects.requireNonNull(processorId, "processorId"), null);
    }

    public static CardChargeResult declined(CardCharge charge, DeclineCode code) {
        return new CardChargeResult(charge.paymentId(), charge.refundId(), charge.clearingAccount(), false, null,
                Objects.requireNonNull(code, "code"));
    }
}
