package dev.kassa.ledger.verify;

import dev.kassa.model.Ids;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Checks the ledger's invariants in SQL against any Postgres database holding Kassa's schema: the
 * double-entry rule (docs/architecture.md's invariant 2), what of "no acknowledged payment is lost" (invariant 3)
 * and "one payment per idempotency key" (invariant 1) the tables can show, and the shape of each
 * payment's entries. All checks read one snapshot (a read-only {@code REPEATABLE READ} transaction),
 * so a sink writing meanwhile cannot make a consistent ledger look broken. Used by
 * {@code kassa ledger verify} and by the integration tests.
 */
public final class LedgerVerifier {

    /** How many violating ids each result carries by default. */
    public static final int SAMPLES_DEFAULT = 10;

    /** How long a payment may stay {@code pending} before the default verification counts it as lost. */
    public static final Duration PENDING_GRACE_DEFAULT = Duration.ofMinutes(5);

    private final javax.sql.DataSource dataSource;
    private final Duration pendingGrace;
    private final int samplesMax;

    /** A verifier with the default pending grace and sample size. */
    public LedgerVerifier(javax.sql.DataSource dataSource) {
        this(dataSource, PENDING_GRACE_DEFAULT, SAMPLES_DEFAULT);
    }

    /**
     * @param pendingGrace a payment still {@code pending} this long after its last event counts as a
     *                     violation of invariant 3; pass {@link Duration#ZERO} once all traffic has stopped
     * @param samplesMax   violating ids kept per check, 1..1,000
     */
    public LedgerVerifier(javax.sql.DataSource dataSource, Duration pendingGrace, int samplesMax) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.pendingGrace = Objects.requireNonNull(pendingGrace, "pendingGrace");
        if (pendingGrace.isNegative()) {
            throw new IllegalArgumentException("pendingGrace must not be negative: " + pendingGrace);
        }
        if (samplesMax < 1 || samplesMax > 1_000) {
            throw new IllegalArgumentException("samplesMax must be within 1..1000: " + samplesMax);
        }
        this.samplesMax = samplesMax;
    }

    /** Runs every check, in the order of {@link LedgerChecks#ALL}. */
    public List<InvariantResult> verify() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            boolean readOnly = connection.isReadOnly();
            int isolation = connection.getTransactionIsolation();
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                List<InvariantResult> results = new ArrayList<>();
                for (LedgerChecks.Check check : LedgerChecks.ALL) {
                    results.add(run(connection, check));
                }
                return results;
            } finally {
                connection.rollback();
                connection.setTransactionIsolation(isolation);
                connection.setReadOnly(readOnly);
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    /** True when every result holds. */
    public static boolean allHold(List<InvariantResult> results) {
        return results.stream().allMatch(InvariantResult::holds);
    }

    private InvariantResult run(Connection connection, LedgerChecks.Check check) throws SQLException {
        // The window counts every violating id before LIMIT keeps the sample.
        String sql = "SELECT id, count(*) OVER () FROM (" + check.violatingIds() + ") AS violating ORDER BY id LIMIT ?";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            int index = 1;
            for (LedgerChecks.Parameter parameter : check.parameters()) {
                switch (parameter) {
                    case EXTERNAL_ACCOUNT_PREFIX -> statement.setString(index++, Ids.externalAccount(""));
                    case PENDING_GRACE_SECONDS -> statement.setDouble(index++, pendingGrace.toMillis() / 1000.0);
                }
            }
            statement.setInt(index, samplesMax);
            return collect(check, statement);
        } catch (SQLException e) {
            throw new SQLException("ledger check " + check.invariant() + " failed: " + e.getMessage(), e.getSQLState(), e);
        }
    }

    private static InvariantResult collect(LedgerChecks.Check check, PreparedStatement statement) throws SQLException {
        List<String> samples = new ArrayList<>();
        long violations = 0;
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                samples.add(rows.getString(1));
                violations = rows.getLong(2);
            }
        }
        return new InvariantResult(check.invariant(), check.description(), violations, samples);
    }
}
