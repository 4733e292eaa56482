package dev.kassa.app;

import java.util.Objects;

/**
 * Where the three servers Kassa needs are: Kafka, Postgres (with credentials) and Redis. The embedded
 * runtime produces one for itself; the stand-alone services read one from flags or the environment.
 */
public record Connections(String kafkaBootstrap, String jdbcUrl, String jdbcUser, String jdbcPassword,
                          String redisUri) {

    public Connections {
        Objects.requireNonNull(kafkaBootstrap, "kafkaBootstrap");
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(jdbcUser, "jdbcUser");
        Objects.requireNonNull(jdbcPassword, "jdbcPassword");
        Objects.requireNonNull(redisUri, "redisUri");
    }

    @Override
    public String toString() {
        return "Connections[kafka=" + kafkaBootstrap + ", postgres=" + jdbcUrl + " (user " + jdbcUser + "), redis="
                + redisUri + "]";
    }
}
