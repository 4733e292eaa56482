package dev.kassa.ledger.postgres;

import java.util.List;

/**
 * Thrown when ledger entries name accounts that have no row yet. Accounts are opened on their own
 * topic, so the sink can meet a payment before the {@code AccountOpened} of an account it names; the
 * batch is rolled back and retried once the account events have been written.
 */
public final class UnopenedAccountsException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final List<String> accountIds;

    public UnopenedAccountsException(List<String> accountIds) {
        super("ledger entries name accounts that are not opened yet: " + accountIds);
        this.accountIds = List.copyOf(accountIds);
    }

    /** The accounts without a row. */
    public List<String> accountIds() {
        return accountIds;
    }
}
