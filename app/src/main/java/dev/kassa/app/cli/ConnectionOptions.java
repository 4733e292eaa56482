package dev.kassa.app.cli;

import dev.kassa.app.Connections;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The servers a stand-alone service connects to; each flag defaults to its environment variable. */
public final class ConnectionOptions {

    @Mixin
    KafkaOptions kafka;

    @Mixin
    PostgresOptions postgres;

    @Option(names = "--redis-uri", defaultValue = "${env:KASSA_REDIS_URI:-redis://localhost:6379}",
            description = "Redis URI; rediss://:PASSWORD@HOST:6380/0 for TLS with the server verified "
                    + "(env KASSA_REDIS_URI, default ${DEFAULT-VALUE}).")
    String redisUri;

    Connections toConnections() {
        return new Connections(kafka.bootstrap, kafka.clientProperties(), postgres.jdbcUrl, postgres.jdbcUser,
                postgres.jdbcPassword, redisUri);
    }
}
