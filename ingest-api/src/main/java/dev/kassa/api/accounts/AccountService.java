package dev.kassa.api.accounts;

import dev.kassa.api.auth.Merchant;
import dev.kassa.model.Ids;
import java.util.Objects;
import java.util.Optional;

/**
 * Opens merchants' accounts through the topology and reads them from Postgres. The account's row is
 * inserted here only once the topology has confirmed it, so a row in {@code accounts} always means
 * the topology knows the account.
 */
public final class AccountService implements Accounts {

    private final AccountOpener opener;
    private final AccountStore store;

    public AccountService(AccountOpener opener, AccountStore store) {
        this.opener = Objects.requireNonNull(opener, "opener");
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public AccountOpening open(Merchant merchant, String idempotencyKey, AccountRequest request) {
        AccountOpener.Opened opened = opener.open(merchant.id(), idempotencyKey, request.currency());
        if (opened.confirmed()) {
            store.insertOpened(opened.account());
        }
        return new AccountOpening(AccountView.opened(opened.account()), opened.confirmed());
    }

    @Override
    public Optional<AccountView> find(Merchant merchant, String accountId) {
        if (!Ids.isValid(Ids.ACCOUNT, accountId)) {
            return Optional.empty();
        }
        return store.find(merchant.id(), accountId);
    }
}
