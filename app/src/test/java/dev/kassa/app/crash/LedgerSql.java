package dev.kassa.app.crash;

import dev.kassa.app.runtime.EmbeddedPostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the ledger with plain SQL on connections of its own (autocommit, so each statement sees one
 * committed snapshot), never through the code under test.
 */
final class LedgerSql {

    private final String jdbcUrl;

    LedgerSql(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD);
    }

    /** Every account with its stored balance. */
    Map<String, String> balances() {
        return map("SELECT id, balance FROM accounts");
    }

    /** The group's stored offsets as {@code topic/partition -> next_offset}. */
    Map<String, String> storedOffsets(String consumerGroup) {
        return map("SELECT topic || '/' || partition, next_offset FROM sink_offsets WHERE consumer_group = ?",
                consumerGroup);
    }

    Set<String> appliedEventIds() {
        Set<String> ids = new HashSet<>();
        query("SELECT event_id FROM applied_events").forEach(row -> ids.add(row.get(0)));
        return ids;
    }

    long count(String sql, Object... parameters) {
        return Long.parseLong(query(sql, parameters).get(0).get(0));
    }

    /** Two-column rows as a sorted map from the first column to the second. */
    Map<String, String> map(String sql, Object... parameters) {
        Map<String, String> map = new TreeMap<>();
        query(sql, parameters).forEach(row -> map.put(row.get(0), row.get(1)));
        return map;
    }

    List<List<String>> query(String sql, Object... parameters) {
        try (Connection connection = connect()) {
            return query(connection, sql, parameters);
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + sql, e);
        }
    }

    void execute(String sql, Object... parameters) {
        try (Connection connection = connect(); PreparedStatement statement = prepare(connection, sql, parameters)) {
            statement.execute();
        } catch (SQLException e) {
            throw new IllegalStateException("statement failed: " + sql, e);
        }
    }

    /** One statement on {@code connection}; its rows as strings. */
    static List<List<String>> query(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters);
                ResultSet rows = statement.executeQuery()) {
            List<List<String>> result = new ArrayList<>();
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                List<String> row = new ArrayList<>(columns);
                for (int column = 1; column <= columns; column++) {
                    row.add(rows.getString(column));
                }
                result.add(row);
            }
            return result;
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }
}
