package dev.kassa.api.auth;

import java.time.Instant;
import java.util.Objects;

/** An authenticated merchant: who is calling, and the account its payments pay into by default. */
public record Merchant(String id, String name, String accountId, Instant created) {

    public Merchant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(created, "created");
    }
}
