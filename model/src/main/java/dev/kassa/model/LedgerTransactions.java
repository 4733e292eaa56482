package dev.kassa.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Checks on the double-entry rule, shared by the topology (on write) and the sink (before the database). */
public final class LedgerTransactions {

    private LedgerTransactions() {
    }

    /**
     * Throws unless {@code entries} sum to zero in every currency they touch.
     *
     * @param transactionId named in the message so a violation can be traced
     */
    public static void requireBalanced(String transactionId, List<LedgerEntry> entries) {
        Map<String, Long> sums = new HashMap<>();
        for (LedgerEntry entry : entries) {
            sums.merge(entry.currency(), entry.amount(), Math::addExact);
        }
        sums.forEach((currency, sum) -> {
            if (sum != 0) {
                throw new IllegalStateException("ledger transaction " + transactionId + " does not sum to zero in "
                        + currency + ": " + sum + " over " + entries);
            }
        });
    }
}
