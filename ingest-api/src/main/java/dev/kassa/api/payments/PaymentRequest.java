package dev.kassa.api.payments;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated {@code POST /v1/payments} body: the amount in minor units, the canonical currency, the
 * source (an account id, or a card token to charge at the card processor: exactly one of
 * {@code source} and {@code cardToken}), and the optional destination (default: the merchant's own
 * account), description and metadata.
 */
public record PaymentRequest(long amount, String currency, String source, Optional<String> destination,
                             Optional<String> description, Map<String, String> metadata, Optional<String> cardToken) {

    /** A payment out of account {@code source}. */
    public PaymentRequest(long amount, String currency, String source, Optional<String> destination,
                          Optional<String> description, Map<String, String> metadata) {
        this(amount, currency, Objects.requireNonNull(source, "source"), destination, description, metadata,
                Optional.empty());
    }

    public PaymentRequest {
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(cardToken, "cardToken");
        if ((source == null) == cardToken.isEmpty()) {
            throw new IllegalArgumentException("a payment has an account or a card as its source, exactly one");
        }
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(description, "description");
        metadata = Map.copyOf(metadata);
    }
}
