package dev.kassa.api.accounts;

import dev.kassa.model.Account;
import java.time.Instant;
import java.util.Objects;

/** An account as the API shows it: its id, owner, currency, balance in minor units and creation time. */
public record AccountView(String id, String merchantId, String currency, long balance, Instant created) {

    public AccountView {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(merchantId, "merchantId");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(created, "created");
    }

    /** A freshly opened account, whose balance is zero. */
    public static AccountView opened(Account account) {
        return new AccountView(account.id(), account.merchantId(), account.currency(), 0, account.created());
    }
}
