package dev.kassa.ledger.postgres;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;
import org.postgresql.PGConnection;

/**
 * Writes rows with {@code COPY ... FROM STDIN} through the driver's {@code CopyManager}: a whole batch
 * in one round trip, parsed by Postgres as plain text, without the array construction and casts of
 * {@code unnest} (measured on this machine for 1,000 ledger legs: about 30% less time, see
 * docs/architecture.md, "ledger-sink"). COPY has no {@code ON CONFLICT}, so it is for tables the batch
 * only appends to. Rows fire their triggers as inserted rows do, the deferred balance check included.
 */
final class CopyRows {

    private CopyRows() {
    }

    /**
     * Copies {@code rows} into {@code table}'s {@code columns}, each row given as its column values
     * (null for SQL NULL) in the order of {@code columns}.
     *
     * @return the number of rows Postgres reports copied
     */
    static <R> long copy(Connection connection, String table, List<String> columns, List<R> rows,
                         Function<R, List<String>> values) throws SQLException {
        StringBuilder text = new StringBuilder(rows.size() * 128);
        for (R row : rows) {
            appendRow(text, values.apply(row), columns.size());
        }
        String sql = "COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN";
        try {
            return connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn(sql, new java.io.ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (java.io.IOException e) {
            throw new SQLException("copying " + rows.size() + " rows into " + table + " failed", e);
        }
    }

    /** Appends one row in COPY's text format: tab-separated, {@code \N} for null, newline-terminated. */
    static void appendRow(StringBuilder text, List<String> values, int columns) {
        if (values.size() != columns) {
            throw new IllegalArgumentException("a row of " + values.size() + " values for " + columns + " columns");
        }
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                text.append('\t');
            }
            appendValue(text, values.get(i));
        }
        text.append('\n');
    }

    /** A value escaped for COPY's text format: backslash, tab, newline and carriage return are escaped. */
    static void appendValue(StringBuilder text, String value) {
        if (value == null) {
            text.append("\\N");
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> text.append("\\\\");
                case '\t' -> text.append("\\t");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                default -> text.append(c);
            }
        }
    }
}
