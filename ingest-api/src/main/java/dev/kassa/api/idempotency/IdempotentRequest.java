package dev.kassa.api.idempotency;

import java.util.Objects;

/**
 * What identifies one client request for replay: the key's scope (the merchant id, or {@code admin}),
 * the {@code Idempotency-Key}, and a fingerprint of the request (method, path and body) that tells a
 * retry from a different request reusing the key.
 */
public record IdempotentRequest(String scope, String key, String fingerprint) {

    public IdempotentRequest {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fingerprint, "fingerprint");
    }
}
