package dev.kassa.model;

import java.time.Instant;
import java.util.Objects;

/** A ledger account of one merchant in one currency. Only external accounts may go negative. */
public record Account(String id, String merchantId, String currency, boolean allowNegative, Instant created) {

    public Account {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(merchantId, "merchantId");
        Objects.requireNonNull(created, "created");
        if (!Currencies.isCanonical(currency)) {
            throw new IllegalArgumentException("account " + id + ": not a canonical currency: " + currency);
        }
    }
}
