package dev.kassa.api.accounts;

import dev.kassa.api.auth.Merchant;
import java.util.Optional;

/** What the HTTP layer asks of accounts: open one through the topology, and read one from the ledger. */
public interface Accounts {

    AccountOpening open(Merchant merchant, String idempotencyKey, AccountRequest request);

    /** The merchant's account {@code accountId}; empty for another merchant's, as for an unknown id. */
    Optional<AccountView> find(Merchant merchant, String accountId);
}
