package dev.kassa.ledger.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.Objects;

/**
 * How the ledger sink connects to Postgres, in one place. {@link #openPool()} builds the HikariCP pool
 * with every setting the sink's correctness depends on made explicit: autocommit off (a batch is one
 * transaction), {@code READ COMMITTED} (the offset fencing relies on its re-check of updated rows),
 * batched inserts rewritten into multi-row statements, and a bound on every wait.
 *
 * @param jdbcUrl           e.g. {@code jdbc:postgresql://localhost:5432/kassa}
 * @param username          the database user
 * @param password          the user's password (may be empty for trust authentication)
 * @param poolSizeMax       connections in the pool, 1..64; the sink needs one, the verifier one more
 * @param connectionTimeout how long to wait for a connection from the pool, 250 ms..5 min
 * @param statementTimeout  how long one statement may run before Postgres cancels it, 1 s..1 h
 */
public record PostgresSettings(String jdbcUrl, String username, String password, int poolSizeMax,
                               Duration connectionTimeout, Duration statementTimeout) {

    public static final int POOL_SIZE_DEFAULT = 4;
    public static final Duration CONNECTION_TIMEOUT_DEFAULT = Duration.ofSeconds(10);
    public static final Duration STATEMENT_TIMEOUT_DEFAULT = Duration.ofSeconds(60);

    public PostgresSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(username, "username");
        password = password == null ? "" : password;
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("not a Postgres JDBC URL: " + jdbcUrl);
        }
        if (poolSizeMax < 1 || poolSizeMax > 64) {
            throw new IllegalArgumentException("poolSizeMax must be within 1..64: " + poolSizeMax);
        }
        requireWithin("connectionTimeout", connectionTimeout, Duration.ofMillis(250), Duration.ofMinutes(5));
        requireWithin("statementTimeout", statementTimeout, Duration.ofSeconds(1), Duration.ofHours(1));
    }

    /** Settings with the default pool size and timeouts. */
    public static PostgresSettings of(String jdbcUrl, String username, String password) {
        return new PostgresSettings(jdbcUrl, username, password, POOL_SIZE_DEFAULT, CONNECTION_TIMEOUT_DEFAULT,
                STATEMENT_TIMEOUT_DEFAULT);
    }

    /** Opens the pool. It does not connect yet, so a sink can start while Postgres is still down. */
    public HikariDataSource openPool() {
        return new HikariDataSource(hikariConfig());
    }

    /**
     * The pool's configuration. The JDBC URL reaches pgjdbc as given, query and all, so TLS is set
     * there: {@code ?sslmode=verify-full&sslrootcert=/etc/kassa/postgres-ca.pem} (README, Running on
     * servers).
     */
    public HikariConfig hikariConfig() {
        HikariConfig config = new HikariConfig();
        config.setPoolName("kassa-ledger");
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(username);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSizeMax);
        config.setMinimumIdle(1);
        config.setAutoCommit(false);
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        config.setConnectionTimeout(connectionTimeout.toMillis());
        config.setInitializationFailTimeout(-1);
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        // A hung socket must not outlive the statement it carries.
        config.addDataSourceProperty("socketTimeout", Long.toString(statementTimeout.toSeconds() + 30));
        config.addDataSourceProperty("options", "-c statement_timeout=" + statementTimeout.toMillis());
        return config;
    }

    @Override
    public String toString() {
        return "PostgresSettings[jdbcUrl=" + jdbcUrl + ", username=" + username + ", password=***, poolSizeMax="
                + poolSizeMax + ", connectionTimeout=" + connectionTimeout + ", statementTimeout=" + statementTimeout + "]";
    }

    private static void requireWithin(String name, Duration value, Duration min, Duration max) {
        Objects.requireNonNull(value, name);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " must be within " + min + ".." + max + ": " + value);
        }
    }
}
