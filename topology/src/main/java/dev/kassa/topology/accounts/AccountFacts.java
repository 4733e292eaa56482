package dev.kassa.topology.accounts;

import dev.kassa.model.Account;
import dev.kassa.model.Currencies;
import java.util.Objects;

/**
 * What never changes about an account once it is opened: who owns it, its currency and whether it
 * may go negative. Enough to decide, at a payment's source, whether its destination can take the
 * money, without a hop to the destination's partition.
 */
public record AccountFacts(String merchantId, String currency, boolean allowNegative) {

    public AccountFacts {
        Objects.requireNonNull(merchantId, "merchantId");
        if (!Currencies.isCanonical(currency)) {
            throw new IllegalArgumentException("not a canonical currency: " + currency);
        }
    }

    public static AccountFacts of(Account account) {
        return new AccountFacts(account.merchantId(), account.currency(), account.allowNegative());
    }
}
