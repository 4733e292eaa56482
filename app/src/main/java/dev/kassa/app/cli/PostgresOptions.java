package dev.kassa.app.cli;

import dev.kassa.ledger.postgres.PostgresSettings;
import picocli.CommandLine.Option;

/** The Postgres a command uses; each flag defaults to its environment variable. */
public final class PostgresOptions {

    @Option(names = "--jdbc-url", defaultValue = "${env:KASSA_JDBC_URL:-jdbc:postgresql://localhost:5432/kassa}",
            description = "Postgres JDBC URL, passed to pgjdbc as given: TLS with ?sslmode=verify-full&sslrootcert=FILE "
                    + "(env KASSA_JDBC_URL, default ${DEFAULT-VALUE}).")
    String jdbcUrl;

    @Option(names = "--jdbc-user", defaultValue = "${env:KASSA_JDBC_USER:-kassa}",
            description = "Postgres user (env KASSA_JDBC_USER, default ${DEFAULT-VALUE}).")
    String jdbcUser;

    @Option(names = "--jdbc-password", defaultValue = "${env:KASSA_JDBC_PASSWORD:-kassa}",
            description = "Postgres password (env KASSA_JDBC_PASSWORD, default ${DEFAULT-VALUE}).")
    String jdbcPassword;

    PostgresSettings toSettings() {
        return PostgresSettings.of(jdbcUrl, jdbcUser, jdbcPassword);
    }
}
