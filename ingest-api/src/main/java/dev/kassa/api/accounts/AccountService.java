package dev.kassa.api.accounts;

import dev.kassa.api.auth.Merchant;
import dev.kassa.api.idempotency.IdempotentRequest;
import dev.kassa.model.Ids;
import java.util.Objects;
import java.util.Optional;

/**
 * Opens merchants' accounts through the topology and reads them from Postgres. The account's row is
 * inserted here only once the topology has confirmed it, so a row in {@code accounts} always means
 * the topology knows the account. Every account confirmed or read here is also remembered in the
 * {@link AccountFactsCache}, so that paying from it needs no query.
 */
public final class AccountService implements Accounts {

    private final AccountOpener opener;
    private final AccountStore store;
    private final AccountFactsCache facts;

    public AccountService(AccountOpener opener, AccountStore store, AccountFactsCache facts) {
        this.opener = Objects.requireNonNull(opener, "opener");
        this.store = Objects.requireNonNull(store, "store");
        this.facts = Objects.requireNonNull(facts, "facts");
    }

    @Override
    public AccountOpening open(Merchant merchant, IdempotentRequest idempotency, AccountRequest request) {
        AccountOpener.Opened opened = opener.open(merchant.id(), idempotency.key(), idempotency.fingerprint(),
                request.currency());
        if (opened.replayed()) {
            // The first request with the key opened it: answer with its row, whose creation time is
            // the real one, as the first answer showed it (balance zero). Without a row yet, the
            // first request's confirmation has not been written; the topology's account stands in.
            AccountView original = find(merchant, opened.account().id())
                    .map(row -> new AccountView(row.id(), row.merchantId(), row.currency(), 0, row.created()))
                    .orElseGet(() -> AccountView.opened(opened.account()));
            return new AccountOpening(original, true);
        }
        if (opened.confirmed()) {
            store.insertOpened(opened.account());
            facts.remember(opened.account());
        }
        return new AccountOpening(AccountView.opened(opened.account()), opened.confirmed());
    }

    @Override
    public Optional<AccountView> find(Merchant merchant, String accountId) {
        if (!Ids.isValid(Ids.ACCOUNT, accountId)) {
            return Optional.empty();
        }
        Optional<AccountView> account = store.find(merchant.id(), accountId);
        account.ifPresent(facts::remember);
        return account;
    }
}
