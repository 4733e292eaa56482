package dev.kassa.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.Objects;

/** Opens a ledger account in one currency for a merchant; the topology answers with {@code AccountOpened}. */
public record OpenAccount(
        String accountId,
        String merchantId,
        String idempotencyKey,
        String currency,
        Instant requestedAt,
        String requestFingerprint) implements Command {

    public OpenAccount {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(merchantId, "merchantId");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(requestedAt, "requestedAt");
        if (!Currencies.isCanonical(currency)) {
            throw new IllegalArgumentException("account " + accountId + ": not a canonical currency: " + currency);
        }
    }

    /** Under the command key: every attempt of one opening names a new account id, but the same key. */
    @Override
    @JsonIgnore
    public String routingKey() {
        return key();
    }
}
