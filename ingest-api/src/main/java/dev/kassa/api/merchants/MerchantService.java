package dev.kassa.api.merchants;

import dev.kassa.api.accounts.AccountOpener;
import dev.kassa.api.auth.Merchant;
import dev.kassa.api.auth.SecretKeys;
import dev.kassa.model.Ids;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Creates merchants: a fresh id and secret key, the merchant's own account opened through the
 * topology, then the merchant's row (and the account's, once confirmed) in one transaction. The
 * account is opened first so a broker outage leaves no merchant behind without one.
 */
public final class MerchantService implements Merchants {

    /** The idempotency key of the command opening a merchant's own account when the request sent none. */
    static final String OWN_ACCOUNT_KEY = "merchant-own-account";

    private final AccountOpener opener;
    private final MerchantStore store;
    private final Clock clock;

    public MerchantService(AccountOpener opener, MerchantStore store, Clock clock) {
        this.opener = Objects.requireNonNull(opener, "opener");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public MerchantCreation create(MerchantRequest request, Optional<String> idempotencyKey) {
        Instant now = clock.instant();
        String merchantId = Ids.next(Ids.MERCHANT, now);
        String secretKey = SecretKeys.generate();
        // The merchant id is new, so the command key merchantId:key is unique even without a client key.
        // No fingerprint: the key is scoped to the new merchant, so no other request can reuse it.
        AccountOpener.Opened account = opener.open(merchantId, idempotencyKey.orElse(OWN_ACCOUNT_KEY), null,
                request.currency());
        Merchant merchant = new Merchant(merchantId, request.name(), account.account().id(), now);
        store.insert(merchant, SecretKeys.hash(secretKey),
                account.confirmed() ? Optional.of(account.account()) : Optional.empty());
        return new MerchantCreation(merchant, secretKey, account.confirmed());
    }
}
