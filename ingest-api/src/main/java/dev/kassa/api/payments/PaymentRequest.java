package dev.kassa.api.payments;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated {@code POST /v1/payments} body: the amount in minor units, the canonical currency, the
 * source account, and the optional destination (default: the merchant's own account), description
 * and metadata.
 */
public record PaymentRequest(long amount, String currency, String source, Optional<String> destination,
                             Optional<String> description, Map<String, String> metadata) {

    public PaymentRequest {
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(description, "description");
        metadata = Map.copyOf(metadata);
    }
}
