package dev.kassa.app.crash;

import java.util.Map;
import java.util.TreeMap;

/**
 * The oracle the crash tests compare the ledger with: a plain map of account balances, moved by hand
 * for every movement a test makes, independent of the code under test.
 */
final class ExpectedBalances {

    private final Map<String, Long> balances = new TreeMap<>();

    /** An account that exists with a zero balance. */
    ExpectedBalances open(String account) {
        balances.putIfAbsent(account, 0L);
        return this;
    }

    /** {@code amount} minor units leave {@code source} and arrive on {@code destination}. */
    ExpectedBalances move(String source, String destination, long amount) {
        balances.merge(source, -amount, Math::addExact);
        balances.merge(destination, amount, Math::addExact);
        return this;
    }

    long of(String account) {
        return balances.getOrDefault(account, 0L);
    }

    /** Every account with its balance, as strings, the shape the SQL helpers read. */
    Map<String, String> asText() {
        Map<String, String> text = new TreeMap<>();
        balances.forEach((account, balance) -> text.put(account, Long.toString(balance)));
        return text;
    }
}
