package dev.kassa.bench.measure;

import dev.kassa.ledger.verify.InvariantResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;

/**
 * {@link LedgerProbe} on the baseline's schema {@code bench_baseline}. The baseline writes nothing
 * for a declined payment and has no pending state, so its payments are its completed transfers, and
 * its invariants are the double-entry rule and balances equal to the sum of their entries.
 */
public final class BaselineLedgerProbe implements LedgerProbe {

    private static final String COMPLETED = "SELECT count(*) FROM bench_baseline.ledger_entries"
            + " WHERE merchant_id = ? AND kind = 'payment' AND entry_index = 0";
    private static final String COMMITTED =
            "SELECT payment_id FROM bench_baseline.ledger_entries WHERE payment_id = ANY(?) AND entry_index = 0";
    private static final String COUNTS = "SELECT count(*), count(DISTINCT idempotency_key),"
            + " (SELECT count(*) FROM bench_baseline.ledger_entries WHERE merchant_id = ? AND kind = 'payment'),"
            + " (SELECT count(*) FROM (SELECT 1 FROM bench_baseline.ledger_entries"
            + "   WHERE merchant_id = ? AND kind = 'payment' AND entry_index = 0"
            + "   GROUP BY idempotency_key HAVING count(*) > 1) AS doubled)"
            + " FROM bench_baseline.ledger_entries WHERE merchant_id = ? AND kind = 'payment' AND entry_index = 0";
    private static final String[][] CHECKS = {
        {"transaction_sums_to_zero", "the two legs of every baseline transfer sum to zero",
            "SELECT payment_id AS id FROM bench_baseline.ledger_entries GROUP BY payment_id"
                + " HAVING sum(amount) <> 0 OR count(*) <> 2"},
        {"balance_equals_entries", "every baseline account's balance equals the sum of its entries",
            "SELECT a.id FROM bench_baseline.accounts a LEFT JOIN (SELECT account_id, sum(amount) AS total"
                + " FROM bench_baseline.ledger_entries GROUP BY account_id) e ON e.account_id = a.id"
                + " WHERE a.balance <> coalesce(e.total, 0)"},
    };

    private final DataSource dataSource;

    public BaselineLedgerProbe(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public long completedPayments(String merchantId) throws SQLException {
        return KassaLedgerProbe.Sql.count(dataSource, COMPLETED, merchantId);
    }

    @Override
    public Set<String> committed(Collection<String> paymentIds) throws SQLException {
        return KassaLedgerProbe.Sql.idsAmong(dataSource, COMMITTED, paymentIds);
    }

    @Override
    public PersistedCounts counts(String merchantId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(COUNTS)) {
            statement.setString(1, merchantId);
            statement.setString(2, merchantId);
            statement.setString(3, merchantId);
            try (ResultSet row = KassaLedgerProbe.Sql.single(statement)) {
                long payments = row.getLong(1);
                return new PersistedCounts(payments, payments, 0, 0, row.getLong(3), row.getLong(2), row.getLong(4));
            } finally {
                KassaLedgerProbe.Sql.endReadOnly(connection);
            }
        }
    }

    @Override
    public List<InvariantResult> verify() throws SQLException {
        List<InvariantResult> results = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            try {
                for (String[] check : CHECKS) {
                    results.add(run(connection, check));
                }
            } finally {
                KassaLedgerProbe.Sql.endReadOnly(connection);
            }
        }
        return results;
    }

    private static InvariantResult run(Connection connection, String[] check) throws SQLException {
        List<String> samples = new ArrayList<>();
        long violations = 0;
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT id, count(*) OVER () FROM (" + check[2] + ") AS violating ORDER BY id LIMIT 10");
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                samples.add(rows.getString(1));
                violations = rows.getLong(2);
            }
        }
        return new InvariantResult(check[0], check[1], violations, samples);
    }
}
