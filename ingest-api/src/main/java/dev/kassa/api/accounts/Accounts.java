package dev.kassa.api.accounts;

import dev.kassa.api.auth.Merchant;
import dev.kassa.api.idempotency.IdempotentRequest;
import java.util.Optional;

/** What the HTTP layer asks of accounts: open one through the topology, and read one from the ledger. */
public interface Accounts {

    AccountOpening open(Merchant merchant, IdempotentRequest idempotency, AccountRequest request);

    /** The merchant's account {@code accountId}; empty for another merchant's, as for an unknown id. */
    Optional<AccountView> find(Merchant merchant, String accountId);
}
