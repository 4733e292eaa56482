package dev.kassa.testing;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tests' own model of the ledger, written from docs/api.md and docs/architecture.md alone and never from the
 * code under test: which accounts exist, whose they are, their currency and balance, and what must
 * become of a payment. Tests predict each outcome here first, then compare what Kassa answered and
 * stored against the prediction.
 *
 * <p>Two levels: the end-to-end tests let it decide ({@link #opened}, {@link #paid}, {@link #deposited},
 * {@link #refunded}: merchants, currencies and funds checked as the ledger's rules say); the crash and sink
 * tests, which feed decided events, only move money by hand ({@link #open}, {@link #move}), the external
 * account included. Both compare {@link #balances()} (or {@link #asText()}, the shape {@link LedgerSql}
 * reads) with what was stored.
 *
 * <p>Thread-safe for workloads in which each thread moves money only between accounts of its own
 * merchant (so no two threads decide on the same balance).
 */
public final class BalanceOracle {

    /** What must become of a payment: {@code completed}, or {@code failed} with a decline code. */
    public record Verdict(String status, String failureCode) {

        public static final Verdict COMPLETED = new Verdict("completed", null);

        public static Verdict declined(String failureCode) {
            return new Verdict("failed", Objects.requireNonNull(failureCode, "failureCode"));
        }

        public boolean completed() {
            return failureCode == null;
        }

        /** The HTTP status the API answers with once the outcome is known. */
        public int httpStatus() {
            return completed() ? 201 : 402;
        }
    }

    private record Account(String merchantId, String currency) {
    }

    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final Map<String, Long> balances = new ConcurrentHashMap<>();

    /** Records an account opened with a zero balance. */
    public void opened(String accountId, String merchantId, String currency) {
        if (accounts.putIfAbsent(accountId, new Account(merchantId, currency)) != null) {
            throw new IllegalArgumentException("account " + accountId + " is already open");
        }
        balances.put(accountId, 0L);
    }

    /** An account that exists with a zero balance, of no merchant or currency the oracle checks. */
    public BalanceOracle open(String accountId) {
        balances.putIfAbsent(accountId, 0L);
        return this;
    }

    /** {@code amount} minor units leave {@code source} and arrive on {@code destination}, as decided elsewhere. */
    public BalanceOracle move(String source, String destination, long amount) {
        balances.merge(source, -amount, Math::addExact);
        balances.merge(destination, amount, Math::addExact);
        return this;
    }

    /** A deposit from outside into one of the merchant's own accounts always completes. */
    public Verdict deposited(String accountId, long amount) {
        requireKnown(accountId);
        balances.merge(accountId, amount, Math::addExact);
        return Verdict.COMPLETED;
    }

    /**
     * Decides {@code merchantId}'s payment by the ledger's rules and books it if it completes: the
     * source must hold the payment's currency and enough money; the destination must be the
     * merchant's own account in that currency (another merchant's account is as unknown as a
     * missing one). The source is always the merchant's own: the API refuses any other with a 404
     * before anything reaches the ledger.
     */
    public Verdict paid(String merchantId, long amount, String currency, String source, String destination) {
        Account from = requireKnown(source);
        if (!from.merchantId().equals(merchantId)) {
            throw new IllegalArgumentException("the API refuses a source that is not the merchant's: " + source);
        }
        if (!from.currency().equals(currency)) {
            return Verdict.declined("currency_mismatch");
        }
        if (balance(source) < amount) {
            return Verdict.declined("insufficient_funds");
        }
        Account to = accounts.get(destination);
        if (to == null || !to.merchantId().equals(merchantId)) {
            return Verdict.declined("account_not_found");
        }
        if (!to.currency().equals(currency)) {
            return Verdict.declined("currency_mismatch");
        }
        move(source, destination, amount);
        return Verdict.COMPLETED;
    }

    /** A completed refund of {@code amount} gives it back from the payment's destination to its source. */
    public void refunded(String source, String destination, long amount) {
        requireKnown(source);
        requireKnown(destination);
        move(destination, source, amount);
    }

    /** The account's expected balance; it must have been opened or moved to or from. */
    public long balance(String accountId) {
        Long balance = balances.get(accountId);
        if (balance == null) {
            throw new IllegalArgumentException("the oracle knows no account " + accountId);
        }
        return balance;
    }

    public String currency(String accountId) {
        return requireKnown(accountId).currency();
    }

    /** Every account's expected balance, sorted by id. */
    public Map<String, Long> balances() {
        return new TreeMap<>(balances);
    }

    /** {@link #balances()} as text, the shape {@link LedgerSql#balances()} reads. */
    public Map<String, String> asText() {
        Map<String, String> text = new TreeMap<>();
        balances.forEach((account, balance) -> text.put(account, Long.toString(balance)));
        return text;
    }

    private Account requireKnown(String accountId) {
        Account account = accounts.get(accountId);
        if (account == null) {
            throw new IllegalArgumentException("the oracle knows no account " + accountId);
        }
        return account;
    }
}
