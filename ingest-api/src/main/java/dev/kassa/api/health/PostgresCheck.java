package dev.kassa.api.health;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Postgres is ready when a pooled connection runs {@code select 1}. Getting the connection is bounded
 * by the pool's connection timeout, the query by {@code timeout}.
 */
public final class PostgresCheck implements ComponentCheck {

    private final DataSource dataSource;

    public PostgresCheck(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public void check(Duration timeout) throws Exception {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement()) {
            statement.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
            statement.execute("select 1");
        }
    }
}
