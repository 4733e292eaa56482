package dev.kassa.ledger.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Binds rows column by column as Postgres arrays, for statements of the form
 * {@code INSERT ... SELECT * FROM unnest(?::text[], ?::bigint[], ...)}: a whole batch travels as one
 * statement with one parameter per column, however many rows it has. Dates and timestamps go as ISO
 * text and are cast by the statement.
 */
final class Columns {

    private final Connection connection;
    private final PreparedStatement statement;
    private int index;

    Columns(Connection connection, PreparedStatement statement) {
        this(connection, statement, 1);
    }

    /** Binds columns from parameter {@code firstIndex} on, after parameters the caller binds itself. */
    Columns(Connection connection, PreparedStatement statement, int firstIndex) {
        this.connection = connection;
        this.statement = statement;
        this.index = firstIndex;
    }

    <R> void text(List<R> rows, Function<R, String> column) throws SQLException {
        bind("text", rows.stream().map(column).toArray(String[]::new));
    }

    <R> void longs(List<R> rows, ToLongFunction<R> column) throws SQLException {
        bind("int8", rows.stream().map(row -> column.applyAsLong(row)).toArray(Long[]::new));
    }

    <R> void booleans(List<R> rows, Function<R, Boolean> column) throws SQLException {
        bind("bool", rows.stream().map(column).toArray(Boolean[]::new));
    }

    private void bind(String type, Object[] values) throws SQLException {
        Array array = connection.createArrayOf(type, values);
        statement.setArray(index++, array);
    }
}
