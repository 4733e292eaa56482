package dev.kassa.api.accounts;

import java.util.Objects;

/**
 * The result of opening an account: the account, and whether the topology confirmed the opening
 * within the wait ({@code 201}) or it is still under way ({@code 202}).
 */
public record AccountOpening(AccountView account, boolean confirmed) {

    public AccountOpening {
        Objects.requireNonNull(account, "account");
    }
}
