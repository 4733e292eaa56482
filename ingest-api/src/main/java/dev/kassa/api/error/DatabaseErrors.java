package dev.kassa.api.error;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * Translates a failed database call: an unreachable, overloaded or restarting Postgres answers
 * {@code 503 service_unavailable} (the client may retry), anything else is our own bug and answers
 * {@code 500}.
 */
public final class DatabaseErrors {

    private DatabaseErrors() {
    }

    /** @param action what was being done, for the log, e.g. "find payment pay_…" */
    public static RuntimeException translate(String action, SQLException e) {
        if (isUnavailable(e)) {
            return new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "the database is unavailable; retry later", e);
        }
        return new IllegalStateException("database failure while trying to " + action + ": " + e.getMessage(), e);
    }

    static boolean isUnavailable(SQLException e) {
        String state = e.getSQLState();
        return e instanceof SQLTransientException
                || e instanceof SQLRecoverableException
                || state != null && (state.startsWith("08") // connection exceptions
                        || state.startsWith("53")           // insufficient resources
                        || state.startsWith("57P"));        // server shutting down or restarting
    }
}
