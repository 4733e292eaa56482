package dev.kassa.app.reconcile;

import dev.kassa.model.ReconciliationResult.Item;
import dev.kassa.model.ReconciliationResult.Kind;
import dev.kassa.model.ReconciliationResult.Run;
import dev.kassa.model.ReconciliationResult.State;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The runs and items of reconciliation in Postgres ({@code reconciliation_runs},
 * {@code reconciliation_items}, migration V11): one run row per day, updated by each run of it, and
 * one item row per key, written when it is new or changed. A day is reconciled by one run at a time:
 * {@link #lockDay} holds a session advisory lock for it, released when the run's connection closes,
 * a killed process's included.
 */
final class ReconciliationStore {

    /** The first key of the advisory locks: one lock per reconciled day, the day's epoch day the second key. */
    private static final int LOCK_SPACE = 0x5EC0;

    private ReconciliationStore() {
    }

    /** Waits for, then holds, the day's lock on {@code connection} until it closes or {@link #unlockDay}. */
    static void lockDay(Connection connection, LocalDate day) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_lock(?, ?)")) {
            statement.setInt(1, LOCK_SPACE);
            statement.setInt(2, Math.toIntExact(day.toEpochDay()));
            statement.execute();
        }
    }

    static void unlockDay(Connection connection, LocalDate day) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
            statement.setInt(1, LOCK_SPACE);
            statement.setInt(2, Math.toIntExact(day.toEpochDay()));
            statement.execute();
        }
    }

    /** Whether {@code day} was reconciled at least once. */
    static boolean reconciled(Connection connection, LocalDate day) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM reconciliation_runs WHERE business_date = ?")) {
            statement.setObject(1, day);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** The day's items as recorded, by key. */
    static Map<String, Item> items(Connection connection, LocalDate day) throws SQLException {
        Map<String, Item> items = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT item_key, kind, state, payment_id,"
                + " processor_id, kassa_amount, processor_amount, currency, detail FROM reconciliation_items"
                + " WHERE business_date = ? ORDER BY item_key")) {
            statement.setObject(1, day);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    items.put(rows.getString(1), new Item(rows.getString(1),
                            Kind.valueOf(rows.getString(2).toUpperCase(Locale.ROOT)),
                            State.valueOf(rows.getString(3).toUpperCase(Locale.ROOT)), rows.getString(4),
                            rows.getString(5), (Long) rows.getObject(6), (Long) rows.getObject(7), rows.getString(8),
                            rows.getString(9)));
                }
            }
        }
        return items;
    }

    /** Records a run of {@code day} with its summary and the items it found new or changed, in one transaction. */
    static void save(Connection connection, LocalDate day, Run run, Collection<Item> changed, Instant now)
            throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            saveRun(connection, day, run, now);
            saveItems(connection, day, changed, now);
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static void saveRun(Connection connection, LocalDate day, Run run, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO reconciliation_runs (business_date,"
                + " state, runs, report_lines, matched, completed, open_items, first_run, last_run)"
                + " VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?) ON CONFLICT (business_date) DO UPDATE SET state = EXCLUDED.state,"
                + " runs = reconciliation_runs.runs + 1, report_lines = EXCLUDED.report_lines,"
                + " matched = EXCLUDED.matched, completed = EXCLUDED.completed, open_items = EXCLUDED.open_items,"
                + " last_run = EXCLUDED.last_run")) {
            statement.setObject(1, day);
            statement.setString(2, (run.open() > 0 ? State.OPEN : State.RESOLVED).code());
            statement.setInt(3, run.reportLines());
            statement.setInt(4, run.matched());
            statement.setInt(5, run.completed());
            statement.setInt(6, run.open());
            statement.setTimestamp(7, Timestamp.from(now));
            statement.setTimestamp(8, Timestamp.from(now));
            statement.executeUpdate();
        }
    }

    private static void saveItems(Connection connection, LocalDate day, Collection<Item> changed, Instant now)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO reconciliation_items (business_date,"
                + " item_key, kind, state, payment_id, processor_id, kassa_amount, processor_amount, currency, detail,"
                + " first_seen, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (business_date, item_key)"
                + " DO UPDATE SET kind = EXCLUDED.kind, state = EXCLUDED.state, payment_id = EXCLUDED.payment_id,"
                + " processor_id = EXCLUDED.processor_id, kassa_amount = EXCLUDED.kassa_amount,"
                + " processor_amount = EXCLUDED.processor_amount, currency = EXCLUDED.currency,"
                + " detail = EXCLUDED.detail, updated = EXCLUDED.updated")) {
            for (Item item : changed) {
                statement.setObject(1, day);
                statement.setString(2, item.key());
                statement.setString(3, item.kind().code());
                statement.setString(4, item.state().code());
                statement.setString(5, item.paymentId());
                statement.setString(6, item.processorId());
                setLong(statement, 7, item.kassaAmount());
                setLong(statement, 8, item.processorAmount());
                statement.setString(9, item.currency());
                statement.setString(10, item.detail());
                statement.setTimestamp(11, Timestamp.from(now));
                statement.setTimestamp(12, Timestamp.from(now));
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }
}
