package dev.kassa.api.accounts;

import java.util.Objects;

/** A validated {@code POST /v1/accounts} body: the canonical currency of the new account. */
public record AccountRequest(String currency) {

    public AccountRequest {
        Objects.requireNonNull(currency, "currency");
    }
}
