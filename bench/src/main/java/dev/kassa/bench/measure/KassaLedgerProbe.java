package dev.kassa.bench.measure;

import dev.kassa.ledger.verify.InvariantResult;
import dev.kassa.ledger.verify.LedgerVerifier;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;

/** {@link LedgerProbe} on Kassa's own schema (payments, ledger_entries), read-only. */
public final class KassaLedgerProbe implements LedgerProbe {

    /** A run's payments: from an account or from a card; the fixture's deposits are not the load. */
    private static final String LOAD_KINDS = "kind IN ('payment', 'card')";
    private static final String COMPLETED = "SELECT count(*) FROM payments"
            + " WHERE merchant_id = ? AND " + LOAD_KINDS + " AND status IN ('completed', 'partially_refunded', 'refunded')";
    private static final String COMMITTED = "SELECT DISTINCT payment_id FROM ledger_entries WHERE payment_id = ANY(?)";
    private static final String COUNTS = "SELECT count(*),"
            + " count(*) FILTER (WHERE status <> 'pending' AND status <> 'failed'),"
            + " count(*) FILTER (WHERE status = 'failed'),"
            + " count(*) FILTER (WHERE status = 'pending'),"
            + " (SELECT count(*) FROM ledger_entries e JOIN payments q ON q.id = e.payment_id"
            + "   WHERE q.merchant_id = ? AND q." + LOAD_KINDS + "),"
            + " count(DISTINCT idempotency_key),"
            + " (SELECT count(*) FROM (SELECT 1 FROM payments WHERE merchant_id = ? AND " + LOAD_KINDS
            + "   GROUP BY idempotency_key HAVING count(*) > 1) AS doubled)"
            + " FROM payments WHERE merchant_id = ? AND " + LOAD_KINDS;

    private final DataSource dataSource;

    public KassaLedgerProbe(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public long completedPayments(String merchantId) throws SQLException {
        return Sql.count(dataSource, COMPLETED, merchantId);
    }

    @Override
    public Set<String> committed(Collection<String> paymentIds) throws SQLException {
        return Sql.idsAmong(dataSource, COMMITTED, paymentIds);
    }

    @Override
    public PersistedCounts counts(String merchantId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(COUNTS)) {
            statement.setString(1, merchantId);
            statement.setString(2, merchantId);
            statement.setString(3, merchantId);
            try (ResultSet row = Sql.single(statement)) {
                return new PersistedCounts(row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4),
                        row.getLong(5), row.getLong(6), row.getLong(7));
            } finally {
                Sql.endReadOnly(connection);
            }
        }
    }

    /** {@code kassa ledger verify}'s checks; nothing may stay pending once the run has drained. */
    @Override
    public List<InvariantResult> verify() throws SQLException {
        return new LedgerVerifier(dataSource, Duration.ZERO, LedgerVerifier.SAMPLES_DEFAULT).verify();
    }

    /** Small JDBC helpers shared by the probes and the sink drain. */
    public static final class Sql {

        private Sql() {
        }

        static long count(DataSource dataSource, String sql, String parameter) throws SQLException {
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setString(1, parameter);
                try (ResultSet row = single(statement)) {
                    return row.getLong(1);
                } finally {
                    endReadOnly(connection);
                }
            }
        }

        /** The one value of a parameterless query, as text (null for SQL NULL). */
        public static String text(DataSource dataSource, String sql) throws SQLException {
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement statement = connection.prepareStatement(sql)) {
                try (ResultSet row = single(statement)) {
                    return row.getString(1);
                } finally {
                    endReadOnly(connection);
                }
            }
        }

        static Set<String> idsAmong(DataSource dataSource, String sql, Collection<String> ids) throws SQLException {
            Set<String> found = new HashSet<>();
            if (ids.isEmpty()) {
                return found;
            }
            try (Connection connection = dataSource.getConnection();
                 PreparedStatement statement = connection.prepareStatement(sql)) {
                Array array = connection.createArrayOf("text", ids.toArray());
                statement.setArray(1, array);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        found.add(rows.getString(1));
                    }
                } finally {
                    endReadOnly(connection);
                }
            }
            return found;
        }

        static ResultSet single(PreparedStatement statement) throws SQLException {
            ResultSet row = statement.executeQuery();
            if (!row.next()) {
                row.close();
                throw new SQLException("expected one row from " + statement);
            }
            return row;
        }

        /** Pools may hand out connections with autocommit off: end the read transaction either way. */
        public static void endReadOnly(Connection connection) throws SQLException {
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
        }
    }
}
