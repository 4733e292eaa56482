package dev.kassa.topology.authorize;

import dev.kassa.model.Account;
import dev.kassa.model.Currencies;
import java.util.Objects;

/**
 * What the {@code balances} store keeps per account: who owns it, its currency, whether it may go
 * negative, and its balance in minor units. The topology authorizes against this balance; the
 * ledger in Postgres stays the authority and its balance must equal the sum of the account's
 * entries, which is the same number when every emitted event has been booked.
 */
public record AccountBalance(
        String accountId, String merchantId, String currency, boolean allowNegative, long balance) {

    public AccountBalance {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(merchantId, "merchantId");
        if (!Currencies.isCanonical(currency)) {
            throw new IllegalArgumentException("account " + accountId + ": not a canonical currency: " + currency);
        }
        // Checked here, in production code, so that no arithmetic slip can store an overdraft.
        if (balance < 0 && !allowNegative) {
            throw new IllegalStateException("account " + accountId + " may not go negative: " + balance);
        }
    }

    /** A freshly opened account: zero balance. */
    public static AccountBalance opened(Account account) {
        return new AccountBalance(account.id(), account.merchantId(), account.currency(), account.allowNegative(), 0);
    }

    /** True when a debit of {@code amount} leaves this account at or above zero, or it may go negative. */
    public boolean covers(long amount) {
        return allowNegative || balance >= amount;
    }

    public AccountBalance debited(long amount) {
        return new AccountBalance(accountId, merchantId, currency, allowNegative, Math.subtractExact(balance, amount));
    }

    /**
     * This account after a credit of {@code amount}. It cannot overflow: every positive balance is at
     * most the money in circulation in its currency, which the treasury keeps within the supply cap,
     * far below {@code Long.MAX_VALUE} (docs/architecture.md, Deposits). Should that invariant ever
     * break, this throws, which stops the task rather than store a wrong balance.
     */
    public AccountBalance credited(long amount) {
        long credited;
        try {
            credited = Math.addExact(balance, amount);
        } catch (ArithmeticException overflow) {
            throw new IllegalStateException("account " + accountId + ": a credit of " + amount + " " + currency
                    + " to a balance of " + balance + " overflows; the supply cap should make that impossible",
                    overflow);
        }
        return new AccountBalance(accountId, merchantId, currency, allowNegative, credited);
    }
}
