package dev.kassa.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import dev.kassa.model.KafkaClientProperties;
import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslVerifyMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.Driver;

/** Settings have safe defaults, reject out-of-bounds values, spell out every safety setting and hide secrets. */
class ApiSettingsTest {

    private static ApiSettings.Builder required() {
        return ApiSettings.builder()
                .adminToken("admin-token-0123456789-abcdefghijk")
                .kafkaBootstrap("127.0.0.1:9092")
                .jdbc("jdbc:postgresql://127.0.0.1:5432/kassa", "kassa", "db-password")
                .redisUri("redis://127.0.0.1:6379");
    }

    @Test
    void defaultsFollowTheContract() {
        ApiSettings settings = required().build();

        assertThat(settings.port()).isEqualTo(8080);
        assertThat(settings.outcomeWait()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.maxBodyBytes()).isEqualTo(64 * 1024);
        assertThat(settings.accountCacheSize()).isEqualTo(1_000_000);
        assertThat(settings.managementHost()).as("management listener: this machine only").isEqualTo("127.0.0.1");
        assertThat(settings.managementPort()).isEqualTo(9090);
    }

    @Test
    void managementPortMustDifferFromTheApiPort() {
        assertThatThrownBy(() -> required().port(8080).managementPort(8080).build()).hasMessageContaining("managementPort");
        assertThatThrownBy(() -> required().managementPort(-1).build()).hasMessageContaining("managementPort");
        assertThatThrownBy(() -> required().managementHost(" ").build()).hasMessageContaining("managementHost");
    }

    @Test
    void producerIsDurableAndIdempotentExplicitly() {
        Properties producer = required().build().producerProperties();

        assertThat(producer).containsEntry("acks", "all")
                .containsEntry("enable.idempotence", "true")
                .containsEntry("compression.type", "none")
                .containsEntry("max.in.flight.requests.per.connection", "5")
                .containsEntry("linger.ms", "5")
                .containsEntry("delivery.timeout.ms", "10000")
                .containsEntry("max.block.ms", "10000")
                .containsEntry("bootstrap.servers", "127.0.0.1:9092");
        long requestTimeout = Long.parseLong((String) producer.get("request.timeout.ms"));
        long linger = Long.parseLong((String) producer.get("linger.ms"));
        assertThat(requestTimeout + linger).isLessThanOrEqualTo(10_000);
    }

    @Test
    void outcomeConsumerReadsOnlyCommittedEventsWithoutAGroup() {
        Properties consumer = required().build().outcomeConsumerProperties();

        assertThat(consumer).containsEntry("isolation.level", "read_committed")
                .containsEntry("enable.auto.commit", "false")
                .doesNotContainKey("group.id");
    }

    @Test
    void outOfBoundsValuesAreRejectedByName() {
        assertThatThrownBy(() -> required().outcomeWait(Duration.ofMinutes(5)).build()).hasMessageContaining("outcomeWait");
        assertThatThrownBy(() -> required().port(70_000).build()).hasMessageContaining("port");
        assertThatThrownBy(() -> required().maxBodyBytes(100).build()).hasMessageContaining("maxBodyBytes");
        assertThatThrownBy(() -> required().adminToken("short").build()).hasMessageContaining("adminToken");
        assertThatThrownBy(() -> required().kafkaBootstrap(null).build()).hasMessageContaining("kafkaBootstrap");
        assertThatThrownBy(() -> required().publishTimeout(Duration.ZERO).build()).hasMessageContaining("publishTimeout");
        assertThatThrownBy(() -> required().accountCacheSize(-1).build()).hasMessageContaining("accountCacheSize");
    }

    @Test
    void toStringHidesSecrets() {
        String text = required().jdbcUrl("jdbc:postgresql://db/kassa?password=url-secret").build().toString();

        assertThat(text).doesNotContain("admin-token-0123456789-abcdefghijk").doesNotContain("db-password")
                .doesNotContain("url-secret").contains("127.0.0.1:9092");
    }

    @Test
    void everyInstanceHasItsOwnKafkaClientIds() {
        ApiSettings first = required().build();
        ApiSettings second = required().build();

        assertThat(first.producerProperties().get("client.id")).isNotEqualTo(second.producerProperties().get("client.id"));
        assertThat(required().instanceName("api-1").build().outcomeConsumerProperties()).containsEntry("client.id", "api-1-outcomes");
        assertThatThrownBy(() -> required().instanceName("has space").build()).hasMessageContaining("instanceName");
    }

    private static final Map<String, String> SASL_SSL = Map.of(
            "security.protocol", "SASL_SSL",
            "ssl.truststore.location", "/etc/kassa/kafka-truststore.p12",
            "ssl.truststore.password", "truststore-secret",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                    + "username=\"kassa\" password=\"kafka-secret\";");

    @Test
    void everyKafkaClientOfTheApiGetsTheClientPropertiesFile(@TempDir Path directory) throws IOException {
        Properties file = new Properties();
        file.putAll(SASL_SSL);
        Path path = directory.resolve("client.properties");
        try (var out = Files.newOutputStream(path)) {
            file.store(out, null);
        }
        ApiSettings settings = required().kafkaClient(KafkaClientProperties.load(path)).build();

        assertThat(settings.producerProperties()).containsAllEntriesOf(SASL_SSL)
                .containsEntry("acks", "all").containsEntry("enable.idempotence", "true");
        assertThat(settings.outcomeConsumerProperties()).containsAllEntriesOf(SASL_SSL)
                .containsEntry("isolation.level", "read_committed");
        assertThat(settings.adminProperties()).containsAllEntriesOf(SASL_SSL);
        assertThat(settings.toString()).doesNotContain("kafka-secret").doesNotContain("truststore-secret");
    }

    @Test
    void aClientPropertiesKeyAnApiClientSetsItselfIsRefusedAtBuild() {
        KafkaClientProperties lingering = new KafkaClientProperties("client.properties", Map.of("linger.ms", "50"));

        assertThatThrownBy(() -> required().kafkaClient(lingering).build())
                .isInstanceOf(KafkaClientProperties.InvalidException.class)
                .hasMessageContaining("linger.ms is set by Kassa for the API's command producer");
    }

    @Test
    void theJdbcUrlReachesHikariAndPgjdbcUnchangedWithItsSslMode() {
        String url = "jdbc:postgresql://db.internal:5432/kassa?sslmode=verify-full&sslrootcert=/etc/kassa/pg-ca.pem";

        HikariConfig hikari = required().jdbcUrl(url).build().hikariConfig();

        assertThat(hikari.getJdbcUrl()).isEqualTo(url);
        Properties parsed = Driver.parseURL(hikari.getJdbcUrl(), new Properties());
        assertThat(parsed).containsEntry("sslmode", "verify-full").containsEntry("sslrootcert", "/etc/kassa/pg-ca.pem");
    }

    @Test
    void aRedissUriWithAPasswordReachesLettuceWithTlsVerifiedAndThePassword() {
        RedisURI uri = required().redisUri("rediss://:secret@redis.internal:6380/0").build()
                .redisClientUri(Duration.ofSeconds(3));

        assertThat(uri.isSsl()).isTrue();
        assertThat(uri.isVerifyPeer()).isTrue();
        assertThat(uri.getVerifyMode()).isEqualTo(SslVerifyMode.FULL);
        assertThat(uri.getHost()).isEqualTo("redis.internal");
        assertThat(uri.getPort()).isEqualTo(6380);
        assertThat(uri.getDatabase()).isZero();
        assertThat(uri.getTimeout()).isEqualTo(Duration.ofSeconds(3));
        RedisCredentials credentials = uri.getCredentialsProvider().resolveCredentials().block();
        assertThat(credentials.getPassword()).containsExactly('s', 'e', 'c', 'r', 'e', 't');
    }
}
