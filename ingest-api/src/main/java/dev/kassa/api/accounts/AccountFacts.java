package dev.kassa.api.accounts;

import dev.kassa.model.Account;
import java.util.Objects;

/**
 * What never changes about an account once it is opened: its id, the merchant it belongs to and its
 * currency. Unlike {@link AccountView} it holds no balance, so it may be kept in memory for good.
 */
public record AccountFacts(String id, String merchantId, String currency) {

    public AccountFacts {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(merchantId, "merchantId");
        // A few hundred currency codes are shared by up to millions of cached accounts.
        currency = Objects.requireNonNull(currency, "currency").intern();
    }

    public static AccountFacts of(Account account) {
        return new AccountFacts(account.id(), account.merchantId(), account.currency());
    }

    public static AccountFacts of(AccountView account) {
        return new AccountFacts(account.id(), account.merchantId(), account.currency());
    }
}
