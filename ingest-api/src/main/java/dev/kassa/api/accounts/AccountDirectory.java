package dev.kassa.api.accounts;

import java.util.Optional;

/** Finds a merchant's account in the ledger; {@link AccountStore} asks Postgres. */
@FunctionalInterface
public interface AccountDirectory {

    /** The account {@code accountId} if it belongs to {@code merchantId}; empty for another merchant's or an unknown one. */
    Optional<AccountView> find(String merchantId, String accountId);
}
