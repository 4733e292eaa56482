package dev.kassa.bench.measure;

import dev.kassa.ledger.verify.InvariantResult;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * What the harness reads back from the ledger of the system under test, in SQL, scoped to the run's
 * merchant: Kassa's tables for Kassa, the baseline's own schema for the baseline. Postgres is the
 * witness: a payment counts as completed once its ledger rows are committed there, whatever the API said.
 */
public interface LedgerProbe {

    /** Payments of the merchant completed in the ledger so far (polled every second during a run). */
    long completedPayments(String merchantId) throws SQLException;

    /** Which of {@code paymentIds} have their ledger entries committed (for end-to-end latency). */
    Set<String> committed(Collection<String> paymentIds) throws SQLException;

    /** The merchant's persisted payments, after the run has drained. */
    PersistedCounts counts(String merchantId) throws SQLException;

    /** The ledger's invariants over the whole database: {@code kassa ledger verify}, or the baseline's own. */
    List<InvariantResult> verify() throws SQLException;

    /**
     * @param payments              payment rows of the merchant (any status)
     * @param completed             of which completed, with ledger entries
     * @param failed                of which declined (fraud, funds)
     * @param pending               of which still pending
     * @param ledgerEntries         ledger entries of the merchant's payments
     * @param distinctKeys          idempotency keys among the payment rows
     * @param keysWithSeveralPayments keys that name more than one payment: must be 0
     */
    record PersistedCounts(long payments, long completed, long failed, long pending, long ledgerEntries,
                           long distinctKeys, long keysWithSeveralPayments) {
    }
}
