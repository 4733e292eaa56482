package dev.kassa.api.idempotency;

import dev.kassa.model.Payment;
import java.util.Optional;

/**
 * Where the idempotency guard reads a payment back to rebuild a replayed {@code 201} or {@code 402}:
 * {@code dev.kassa.api.payments.PaymentStore#find} in production. It may throw
 * {@link dev.kassa.api.error.ApiException} {@code 503} while the database is unavailable.
 */
@FunctionalInterface
public interface PaymentLookup {

    /** The payment {@code paymentId} if it belongs to {@code merchantId}. */
    Optional<Payment> find(String merchantId, String paymentId);
}
