package dev.kassa.ledger.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Creates the daily partitions of {@code payments} and {@code ledger_entries} ahead of time, through
 * the schema's {@code kassa_ensure_partitions} function. Rows of a day without a partition still land
 * in the default partitions, so this is about keeping daily partitions small and droppable, not about
 * correctness. Safe to call from several processes at once (the function takes an advisory lock).
 */
public final class LedgerPartitions {

    /** The most days ahead one call creates; the function checks the same bound. */
    public static final int DAYS_AHEAD_MAX = 366;

    private LedgerPartitions() {
    }

    /** Creates the partitions of the days {@code from} to {@code from + daysAhead}, both included. */
    public static void ensure(DataSource dataSource, LocalDate from, int daysAhead) throws SQLException {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(from, "from");
        if (daysAhead < 0 || daysAhead > DAYS_AHEAD_MAX) {
            throw new IllegalArgumentException("daysAhead must be within 0.." + DAYS_AHEAD_MAX + ": " + daysAhead);
        }
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (PreparedStatement statement = connection.prepareStatement("SELECT kassa_ensure_partitions(?, ?)")) {
                statement.setObject(1, from);
                statement.setInt(2, daysAhead);
                statement.execute();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }
}
