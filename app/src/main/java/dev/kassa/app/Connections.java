package dev.kassa.app;

import dev.kassa.model.KafkaClientProperties;
import java.util.Objects;

/**
 * Where the three servers Kassa needs are: Kafka (with the client settings every Kafka client gets,
 * such as TLS and SASL), Postgres (with credentials; TLS through the JDBC URL's {@code sslmode}) and
 * Redis ({@code rediss://} for TLS). The embedded runtime produces one for itself; the stand-alone
 * services read one from flags or the environment.
 */
public record Connections(String kafkaBootstrap, KafkaClientProperties kafkaClient, String jdbcUrl, String jdbcUser,
                          String jdbcPassword, String redisUri) {

    public Connections {
        Objects.requireNonNull(kafkaBootstrap, "kafkaBootstrap");
        Objects.requireNonNull(kafkaClient, "kafkaClient");
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(jdbcUser, "jdbcUser");
        Objects.requireNonNull(jdbcPassword, "jdbcPassword");
        Objects.requireNonNull(redisUri, "redisUri");
    }

    /** Plaintext Kafka with no client settings added, as the embedded runtime serves it. */
    public Connections(String kafkaBootstrap, String jdbcUrl, String jdbcUser, String jdbcPassword, String redisUri) {
        this(kafkaBootstrap, KafkaClientProperties.NONE, jdbcUrl, jdbcUser, jdbcPassword, redisUri);
    }

    /** Names no secret: the JDBC URL's query and the Redis URI's user and password are left out. */
    @Override
    public String toString() {
        return "Connections[kafka=" + kafkaBootstrap + " " + kafkaClient + ", postgres=" + withoutQuery(jdbcUrl)
                + " (user " + jdbcUser + "), redis=" + withoutUserInfo(redisUri) + "]";
    }

    private static String withoutQuery(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query) + "?<redacted>";
    }

    private static String withoutUserInfo(String uri) {
        int scheme = uri.indexOf("://");
        int at = uri.lastIndexOf('@');
        return scheme < 0 || at < scheme ? uri : uri.substring(0, scheme + 3) + "<redacted>@" + uri.substring(at + 1);
    }
}
