package dev.kassa.ledger.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Deletes expired rows of {@code idempotency_keys}, at most a bounded number per call, oldest expiry
 * first. Expiry itself is decided at lookup ({@code expires_at > now()}), so when the purge runs
 * changes only the table's size, never an answer. Several sinks may purge at once: rows another one
 * is deleting are skipped, not waited for.
 */
public final class IdempotencyKeyPurge {

    /** The most rows one call deletes: bounds the time one purge holds the sink's loop. */
    public static final int ROWS_PER_CALL_MAX = 10_000;

    private static final String PURGE = "DELETE FROM idempotency_keys WHERE (merchant_id, idempotency_key) IN"
            + " (SELECT merchant_id, idempotency_key FROM idempotency_keys WHERE expires_at <= now()"
            + " ORDER BY expires_at LIMIT ? FOR UPDATE SKIP LOCKED)";

    private IdempotencyKeyPurge() {
    }

    /** Deletes up to {@code limit} (1..{@value #ROWS_PER_CALL_MAX}) expired keys; returns how many it deleted. */
    public static int purge(DataSource dataSource, int limit) throws SQLException {
        if (limit < 1 || limit > ROWS_PER_CALL_MAX) {
            throw new IllegalArgumentException("limit must be within 1.." + ROWS_PER_CALL_MAX + ": " + limit);
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(PURGE)) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(true);
            try {
                statement.setInt(1, limit);
                return statement.executeUpdate();
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }
}
