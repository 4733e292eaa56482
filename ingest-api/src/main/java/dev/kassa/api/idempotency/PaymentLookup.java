package dev.kassa.api.idempotency;

import dev.kassa.model.Payment;
import java.util.Optional;

/**
 * Where the idempotency guard reads a payment back: to rebuild a replayed {@code 201} or {@code 402},
 * and to answer a retry of a {@code 202} with the payment's outcome once there is one.
 * {@code dev.kassa.api.payments.PaymentService#lookup()} in production. Either method may throw
 * {@link dev.kassa.api.error.ApiException} {@code 503} while the database is unavailable.
 */
@FunctionalInterface
public interface PaymentLookup {

    /** The payment {@code paymentId} as the ledger has it now, if it belongs to {@code merchantId}. */
    Optional<Payment> find(String merchantId, String paymentId);

    /**
     * The payment {@code paymentId} of {@code merchantId} completed or failed, waiting for its outcome
     * as long as a first request would; else as it is then (pending, or empty when the ledger does not
     * have it yet). By default, what {@link #find} says now.
     */
    default Optional<Payment> settle(String merchantId, String paymentId) {
        return find(merchantId, paymentId);
    }
}
