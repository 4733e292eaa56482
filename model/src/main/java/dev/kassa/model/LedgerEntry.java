package dev.kassa.model;

import java.util.Objects;

/**
 * One leg of a ledger transaction: a signed amount in minor units on one account. Debits are
 * negative, credits positive; the entries of a transaction sum to zero per currency.
 */
public record LedgerEntry(String accountId, long amount, String currency) {

    public LedgerEntry {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(currency, "currency");
        if (amount == 0) {
            throw new IllegalArgumentException("ledger entry on " + accountId + " must move money");
        }
    }
}
