package dev.kassa.api.refunds;

import dev.kassa.api.auth.Merchant;
import dev.kassa.api.idempotency.IdempotentRequest;
import dev.kassa.model.Refund;
import java.util.Optional;

/**
 * What the HTTP layer asks of refunds: create one through the topology and report its outcome as far
 * as it is known within the wait, and read them back from the ledger.
 */
public interface Refunds {

    /** The most refunds a payment's refund list shows. */
    int LIST_LIMIT = 100;

    /**
     * Publishes a refund of the merchant's payment {@code paymentId} and returns it completed, failed,
     * or still pending when the wait ran out. An unknown payment or another merchant's is
     * {@code 404 resource_missing}; a payment that is not completed, or a deposit,
     * {@code 400 payment_not_refundable}. When the topology's dedupe store remembers the key, returns
     * the refund it first created, or refuses a request with other parameters.
     */
    Refund create(Merchant merchant, IdempotentRequest idempotency, String paymentId, RefundRequest request);

    /** The merchant's refund {@code refundId}; empty for another merchant's, as for an unknown id. */
    Optional<Refund> find(Merchant merchant, String refundId);

    /** The refunds of the merchant's payment {@code paymentId}; {@code 404} as in {@link #create}. */
    RefundList list(Merchant merchant, String paymentId);
}
