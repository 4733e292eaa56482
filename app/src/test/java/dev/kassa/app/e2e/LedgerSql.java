package dev.kassa.app.e2e;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The tests' own reads of the ledger tables, straight from Postgres and never through the API, so
 * that what the API reports can be checked against what the sink stored. A database error fails at
 * once (it is not something to wait out).
 */
final class LedgerSql {

    private final DataSource dataSource;

    LedgerSql(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** The {@code balance} column of the account, or null when it has no row. */
    Long storedBalance(String accountId) {
        List<List<Object>> rows = rows("SELECT balance FROM accounts WHERE id = ?", accountId);
        return rows.isEmpty() ? null : ((Number) rows.get(0).get(0)).longValue();
    }

    /** The sum of the account's ledger entries; zero when it has none. */
    long sumOfEntries(String accountId) {
        return number("SELECT coalesce(sum(amount), 0) FROM ledger_entries WHERE account_id = ?", accountId);
    }

    /** How many ledger entries the payment or deposit booked. */
    long entryCount(String paymentId) {
        return number("SELECT count(*) FROM ledger_entries WHERE payment_id = ?", paymentId);
    }

    /** Id → status of every payment and deposit row of the merchants. */
    Map<String, String> paymentStatuses(Collection<String> merchantIds) {
        Map<String, String> statuses = new LinkedHashMap<>();
        for (List<Object> row : rows("SELECT id, status FROM payments WHERE merchant_id = ANY(?) ORDER BY id",
                merchantIds)) {
            statuses.put((String) row.get(0), (String) row.get(1));
        }
        return statuses;
    }

    /** The ids of the merchant's accounts, sorted. */
    List<String> accountIds(String merchantId) {
        return strings("SELECT id FROM accounts WHERE merchant_id = ? ORDER BY id", merchantId);
    }

    /** The first column of every row, as text. */
    List<String> strings(String sql, Object... parameters) {
        List<String> values = new ArrayList<>();
        for (List<Object> row : rows(sql, parameters)) {
            values.add(row.get(0) == null ? null : row.get(0).toString());
        }
        return values;
    }

    /** The number in the first column of the one row of {@code sql}. */
    long number(String sql, Object... parameters) {
        List<List<Object>> rows = rows(sql, parameters);
        if (rows.size() != 1) {
            throw new IllegalStateException("expected one row from " + sql + " but got " + rows.size());
        }
        return ((Number) rows.get(0).get(0)).longValue();
    }

    /**
     * Every row of {@code sql}, each as its list of column values. A {@link Collection} parameter is
     * bound as a text array, for {@code = ANY(?)}.
     */
    /** Runs one INSERT, UPDATE or DELETE; returns the rows it changed. */
    int update(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, bind(connection, parameters[i]));
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run " + sql, e);
        }
    }

    List<List<Object>> rows(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, bind(connection, parameters[i]));
            }
            try (ResultSet result = statement.executeQuery()) {
                int columns = result.getMetaData().getColumnCount();
                List<List<Object>> rows = new ArrayList<>();
                while (result.next()) {
                    List<Object> row = new ArrayList<>(columns);
                    for (int column = 1; column <= columns; column++) {
                        row.add(result.getObject(column));
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run " + sql + ": " + e.getMessage(), e);
        }
    }

    private static Object bind(Connection connection, Object parameter) throws SQLException {
        if (parameter instanceof Collection<?> values) {
            Array array = connection.createArrayOf("text", values.toArray());
            return array;
        }
        return parameter;
    }
}
