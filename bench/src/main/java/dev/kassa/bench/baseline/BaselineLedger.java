package dev.kassa.bench.baseline;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The seed's naive ledger write, one Postgres transaction per payment: lock the payer's balance row
 * ({@code SELECT … FOR UPDATE}), insert the two ledger rows, update both balances, commit. Every
 * payment crediting one account serializes on that account's row lock — the flash-sale bottleneck
 * the comparison is about.
 */
final class BaselineLedger {

    /** A committed transfer's id, or the decline code when nothing was written. */
    record Outcome(String paymentId, String declineCode) {
        boolean completed() {
            return declineCode == null;
        }
    }

    private static final String LOCK_PAYER =
            "SELECT balance, allow_negative FROM bench_baseline.accounts WHERE id = ? FOR UPDATE";
    private static final String INSERT_ENTRIES = "INSERT INTO bench_baseline.ledger_entries"
            + " (payment_id, entry_index, merchant_id, idempotency_key, kind, account_id, amount)"
            + " VALUES (?, 0, ?, ?, ?, ?, ?), (?, 1, ?, ?, ?, ?, ?)";
    private static final String ADD_TO_BALANCE = "UPDATE bench_baseline.accounts SET balance = balance + ? WHERE id = ?";
    private static final String DEADLOCK = "40P01";
    private static final int DEADLOCK_RETRIES_MAX = 3;

    private final DataSource pool;

    BaselineLedger(DataSource pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /** Moves {@code amount} from {@code source} to {@code destination}, or declines; retries a deadlock a few times. */
    Outcome transfer(String merchantId, String idempotencyKey, String kind, String source, String destination,
                     long amount) throws SQLException {
        String paymentId = (kind.equals("deposit") ? "dep_" : "pay_") + UUID.randomUUID().toString().replace("-", "");
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = pool.getConnection()) {
                try {
                    Outcome outcome = transferOnce(connection, paymentId, merchantId, idempotencyKey, kind, source,
                            destination, amount);
                    if (outcome.completed()) {
                        connection.commit();
                    } else {
                        connection.rollback();
                    }
                    return outcome;
                } catch (SQLException e) {
                    connection.rollback();
                    if (!DEADLOCK.equals(e.getSQLState()) || attempt >= DEADLOCK_RETRIES_MAX) {
                        throw e;
                    }
                }
            }
        }
    }

    private static Outcome transferOnce(Connection connection, String paymentId, String merchantId,
                                        String idempotencyKey, String kind, String source, String destination,
                                        long amount) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(LOCK_PAYER)) {
            lock.setString(1, source);
            try (ResultSet payer = lock.executeQuery()) {
                if (!payer.next()) {
                    return new Outcome(null, "account_not_found");
                }
                if (!payer.getBoolean(2) && payer.getLong(1) < amount) {
                    return new Outcome(null, "insufficient_funds");
                }
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT_ENTRIES)) {
            int column = 1;
            for (Object[] leg : new Object[][] {{source, -amount}, {destination, amount}}) {
                insert.setString(column++, paymentId);
                insert.setString(column++, merchantId);
                insert.setString(column++, idempotencyKey);
                insert.setString(column++, kind);
                insert.setString(column++, (String) leg[0]);
                insert.setLong(column++, (Long) leg[1]);
            }
            insert.executeUpdate();
        }
        if (addToBalance(connection, source, -amount) != 1 || addToBalance(connection, destination, amount) != 1) {
            return new Outcome(null, "account_not_found");
        }
        return new Outcome(paymentId, null);
    }

    private static int addToBalance(Connection connection, String account, long amount) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(ADD_TO_BALANCE)) {
            update.setLong(1, amount);
            update.setString(2, account);
            return update.executeUpdate();
        }
    }
}
