package dev.kassa.api.idempotency;

import dev.kassa.api.http.ApiResponse;
import java.util.Optional;

/**
 * Where the idempotency guard resolves a stored {@code 202} whose body is the whole answer (an
 * account's opening, unlike a payment's, which is stored by its id and resolved by
 * {@link PaymentLookup#settle}): a retry gets what a first answer would give now, once the outcome
 * is known, instead of the {@code 202} for the key's lifetime (docs/api.md, Idempotency keys).
 */
@FunctionalInterface
public interface PendingAnswers {

    /** Resolves nothing: every stored 202 is replayed as stored. */
    PendingAnswers NONE = (merchantId, pendingBody) -> Optional.empty();

    /**
     * The answer a first request would give now, replayed, for the stored {@code 202} {@code pendingBody}
     * of merchant {@code merchantId}; empty while the outcome is unknown or the body is not one this
     * resolves (the stored 202 is then replayed).
     */
    Optional<ApiResponse> resolve(String merchantId, byte[] pendingBody);
}
