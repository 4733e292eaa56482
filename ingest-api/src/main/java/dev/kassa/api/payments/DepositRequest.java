package dev.kassa.api.payments;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A validated {@code POST /v1/accounts/{id}/deposits} body; the currency is the account's. */
public record DepositRequest(long amount, Optional<String> description, Map<String, String> metadata) {

    public DepositRequest {
        Objects.requireNonNull(description, "description");
        metadata = Map.copyOf(metadata);
    }
}
