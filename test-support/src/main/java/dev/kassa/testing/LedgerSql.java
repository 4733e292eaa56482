package dev.kassa.testing;

import dev.kassa.runtime.EmbeddedPostgresServer;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The tests' own reads (and deliberate corruptions) of the ledger tables with plain SQL, straight from
 * Postgres and never through the code under test, so that what the API reports or the sink claims can be
 * checked against what is stored. Every call takes a connection of its own: with autocommit each
 * statement sees one committed snapshot; on a pool without autocommit a read is rolled back and a write
 * committed. A database error fails at once (it is not something to wait out).
 *
 * <p>A {@link Collection} parameter is bound as a text array, for {@code = ANY(?)}.
 */
public final class LedgerSql {

    /** Reads one column of the current row. */
    private interface ColumnReader<T> {
        T read(ResultSet row, int column) throws SQLException;
    }

    private final DataSource dataSource;

    public LedgerSql(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** On the embedded runtime's Postgres at {@code jdbcUrl}, as its user ({@link EmbeddedPostgresServer#USER}). */
    public LedgerSql(String jdbcUrl) {
        this(embeddedPostgres(jdbcUrl));
    }

    public Connection connect() throws SQLException {
        return dataSource.getConnection();
    }

    // ---- The ledger's questions ----

    /** The {@code balance} column of the account, or null when it has no row. */
    public Long storedBalance(String accountId) {
        List<List<Object>> rows = rows("SELECT balance FROM accounts WHERE id = ?", accountId);
        return rows.isEmpty() ? null : ((Number) rows.get(0).get(0)).longValue();
    }

    /** Every account with its stored balance, by id. */
    public Map<String, String> balances() {
        return map("SELECT id, balance FROM accounts ORDER BY id");
    }

    /** The sum of the account's ledger entries; zero when it has none. */
    public long sumOfEntries(String accountId) {
        return count("SELECT coalesce(sum(amount), 0) FROM ledger_entries WHERE account_id = ?", accountId);
    }

    /** How many ledger entries the payment or deposit booked. */
    public long entryCount(String paymentId) {
        return count("SELECT count(*) FROM ledger_entries WHERE payment_id = ?", paymentId);
    }

    /** Id → status of every payment and deposit row of the merchants, by id. */
    public Map<String, String> paymentStatuses(Collection<String> merchantIds) {
        return map("SELECT id, status FROM payments WHERE merchant_id = ANY(?) ORDER BY id", merchantIds);
    }

    /** The ids of the merchant's accounts, sorted. */
    public List<String> accountIds(String merchantId) {
        return strings("SELECT id FROM accounts WHERE merchant_id = ? ORDER BY id", merchantId);
    }

    /** The sink group's stored offsets as {@code topic/partition -> next_offset}. */
    public Map<String, String> storedOffsets(String consumerGroup) {
        return map("SELECT topic || '/' || partition, next_offset FROM sink_offsets WHERE consumer_group = ?"
                + " ORDER BY 1", consumerGroup);
    }

    /** The ids of every event the sink applied. */
    public Set<String> appliedEventIds() {
        return new HashSet<>(strings("SELECT event_id FROM applied_events"));
    }

    // ---- Plain SQL ----

    /** The number in the first column of the one row of {@code sql} (a count, a sum). */
    public long count(String sql, Object... parameters) {
        return Long.parseLong(one(sql, parameters));
    }

    /** The first column of the one row of {@code sql}, as text. */
    public String one(String sql, Object... parameters) {
        List<List<String>> rows = query(sql, parameters);
        if (rows.size() != 1) {
            throw new IllegalStateException("expected one row from " + sql + " but got " + rows.size());
        }
        return rows.get(0).get(0);
    }

    /** The first column of every row, as text. */
    public List<String> strings(String sql, Object... parameters) {
        return query(sql, parameters).stream().map(row -> row.get(0)).toList();
    }

    /** Two-column rows as a map from the first column to the second, in query order. */
    public Map<String, String> map(String sql, Object... parameters) {
        Map<String, String> map = new LinkedHashMap<>();
        query(sql, parameters).forEach(row -> map.put(row.get(0), row.get(1)));
        return map;
    }

    /** Every row of {@code sql}, each as its columns as text (as Postgres renders them). */
    public List<List<String>> query(String sql, Object... parameters) {
        return read(sql, parameters, ResultSet::getString);
    }

    /** Every row of {@code sql}, each as its columns as the JDBC driver's objects. */
    public List<List<Object>> rows(String sql, Object... parameters) {
        return read(sql, parameters, ResultSet::getObject);
    }

    /** One statement on {@code connection} (the caller's transaction); its rows as text. */
    public static List<List<String>> query(Connection connection, String sql, Object... parameters)
            throws SQLException {
        return read(connection, sql, parameters, ResultSet::getString);
    }

    /** Runs one INSERT, UPDATE, DELETE or other statement and commits it; returns the rows it changed. */
    public int update(String sql, Object... parameters) {
        try (Connection connection = connect();
             PreparedStatement statement = prepare(connection, sql, parameters)) {
            statement.execute();
            int changed = Math.max(statement.getUpdateCount(), 0);
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
            return changed;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run " + sql + ": " + e.getMessage(), e);
        }
    }

    /** Runs statements in one transaction and commits it; throws what Postgres throws. */
    public void commit(String... statements) throws SQLException {
        try (Connection connection = connect()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                for (String sql : statements) {
                    try (PreparedStatement statement = connection.prepareStatement(sql)) {
                        statement.execute();
                    }
                }
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    private <T> List<List<T>> read(String sql, Object[] parameters, ColumnReader<T> column) {
        try (Connection connection = connect()) {
            List<List<T>> rows = read(connection, sql, parameters, column);
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run " + sql + ": " + e.getMessage(), e);
        }
    }

    private static <T> List<List<T>> read(Connection connection, String sql, Object[] parameters,
            ColumnReader<T> column) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters);
             ResultSet result = statement.executeQuery()) {
            int columns = result.getMetaData().getColumnCount();
            List<List<T>> rows = new ArrayList<>();
            while (result.next()) {
                List<T> row = new ArrayList<>(columns);
                for (int index = 1; index <= columns; index++) {
                    row.add(column.read(result, index));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, bind(connection, parameters[i]));
        }
        return statement;
    }

    private static Object bind(Connection connection, Object parameter) throws SQLException {
        if (parameter instanceof Collection<?> values) {
            Array array = connection.createArrayOf("text", values.toArray());
            return array;
        }
        return parameter;
    }

    private static DataSource embeddedPostgres(String jdbcUrl) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(Objects.requireNonNull(jdbcUrl, "jdbcUrl"));
        dataSource.setUser(EmbeddedPostgresServer.USER);
        dataSource.setPassword(EmbeddedPostgresServer.PASSWORD);
        return dataSource;
    }
}
