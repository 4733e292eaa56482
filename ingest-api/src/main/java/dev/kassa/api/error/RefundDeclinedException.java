package dev.kassa.api.error;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kassa.model.DeclineCode;
import java.util.Objects;

/**
 * The topology declined a refund ({@code refund_exceeds_payment}, {@code insufficient_funds}):
 * {@code 402 payment_error} with the decline code and the failed refund itself under
 * {@code refund}, as a declined payment carries its payment.
 */
public final class RefundDeclinedException extends ApiException {

    private final transient ObjectNode refund;

    /** @param refund the failed refund, already rendered in its public JSON shape */
    public RefundDeclinedException(DeclineCode declineCode, ObjectNode refund) {
        super(402, ErrorType.PAYMENT_ERROR, declineCode.code(), message(declineCode), null, null);
        this.refund = Objects.requireNonNull(refund, "refund");
    }

    private static String message(DeclineCode code) {
        // The payment's wording names its source; a refund is paid by the payment's destination.
        return code == DeclineCode.INSUFFICIENT_FUNDS
                ? "the payment's destination account has insufficient funds for the refund" : code.message();
    }

    @Override
    public void addDetails(ObjectNode error) {
        error.set("refund", refund.deepCopy());
    }
}
