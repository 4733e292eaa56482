package dev.kassa.ledger;

import com.zaxxer.hikari.HikariDataSource;
import dev.kassa.ledger.postgres.Migrations;
import dev.kassa.ledger.postgres.PostgresSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real Postgres 17 (zonky's embedded binaries) shared by every integration test of the JVM, and
 * a fresh database per test so that tests stay independent without paying for a server start each.
 */
public final class TestPostgres {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private TestPostgres() {
    }

    /** The shared server, started on first use and stopped when the JVM exits. */
    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded Postgres", e);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // The JVM is exiting; the data directory is temporary.
                }
            }));
        }
        return server;
    }

    /** The pool settings of a new, empty database. */
    public static PostgresSettings freshDatabase() {
        String name = "ledger_" + DATABASES.incrementAndGet();
        try (Connection connection = server().getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return PostgresSettings.of(server().getJdbcUrl("postgres", name), "postgres", "");
    }

    /** A pool on a new database at the current schema. */
    public static HikariDataSource migratedDatabase() {
        HikariDataSource pool = freshDatabase().openPool();
        Migrations.apply(pool);
        return pool;
    }
}
