package dev.kassa.api.error;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kassa.model.DeclineCode;
import java.util.Objects;

/**
 * The topology declined a payment or deposit: {@code 402 payment_error} with the decline code and
 * the failed payment itself under {@code payment}, so the client sees its id and fraud verdict.
 */
public final class PaymentDeclinedException extends ApiException {

    private final transient ObjectNode payment;
    private final String paymentId;

    /**
     * @param payment the failed payment, already rendered in its public JSON shape
     */
    public PaymentDeclinedException(DeclineCode declineCode, ObjectNode payment) {
        this(declineCode, payment, null);
    }

    /**
     * @param payment   the failed payment, already rendered in its public JSON shape
     * @param paymentId its id when the decline can be rendered again from the stored payment (the
     *                  idempotency guard then stores the id instead of the body); null otherwise
     */
    public PaymentDeclinedException(DeclineCode declineCode, ObjectNode payment, String paymentId) {
        super(402, ErrorType.PAYMENT_ERROR, declineCode.code(), declineCode.message(), null, null);
        this.payment = Objects.requireNonNull(payment, "payment");
        this.paymentId = paymentId;
    }

    /** The declined payment's id when the decline is rebuildable from it, else null. */
    public String paymentId() {
        return paymentId;
    }

    @Override
    public void addDetails(ObjectNode error) {
        error.set("payment", payment.deepCopy());
    }
}
