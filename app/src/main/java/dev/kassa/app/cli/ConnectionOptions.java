package dev.kassa.app.cli;

import dev.kassa.app.Connections;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The servers a stand-alone service connects to; each flag defaults to its environment variable. */
public final class ConnectionOptions {

    @Mixin
    KafkaOptions kafka;

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

    @Option(names = "--redis-uri", defaultValue = "${env:KASSA_REDIS_URI:-redis://localhost:6379}",
            description = "Redis URI; rediss://:PASSWORD@HOST:6380/0 for TLS with the server verified "
                    + "(env KASSA_REDIS_URI, default ${DEFAULT-VALUE}).")
    String redisUri;

    Connections toConnections() {
        return new Connections(kafka.bootstrap, kafka.clientProperties(), jdbcUrl, jdbcUser, jdbcPassword, redisUri);
    }
}
