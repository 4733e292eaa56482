package dev.kassa.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.model.KafkaClientProperties;
import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The settings of a production deployment reach every client the services create, through the
 * methods {@link Services} starts them with: the Kafka client properties file (SASL_SSL) every Kafka
 * client, the JDBC URL's {@code sslmode} the Postgres pools, and a {@code rediss://} URI Lettuce.
 */
class SecureConnectionsTest {

    private static final String ADMIN_TOKEN = "3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a";
    private static final String JDBC_URL =
            "jdbc:postgresql://db.internal:5432/kassa?sslmode=verify-full&sslrootcert=/etc/kassa/pg-ca.pem";
    private static final String REDIS_URI = "rediss://:redis-secret@redis.internal:6380/0";
    /** The file's entries as Kafka's client.properties format spells them, and as the clients must get them. */
    private static final Map<String, String> SASL_SSL = Map.of(
            "security.protocol", "SASL_SSL",
            "ssl.truststore.location", "/etc/kassa/kafka-truststore.p12",
            "ssl.truststore.password", "truststore-secret",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                    + "username=\"kassa\" password=\"kafka-secret\";");

    @TempDir
    Path directory;

    @Test
    void everyKafkaClientOfEveryServiceGetsTheClientPropertiesFile() throws IOException {
        GatewaySettings settings = settings(KafkaClientProperties.load(clientPropertiesFile()));
        String bootstrap = settings.connections().kafkaBootstrap();

        var api = Services.apiSettings(settings.api());
        assertThat(api.producerProperties()).containsAllEntriesOf(SASL_SSL);
        assertThat(api.outcomeConsumerProperties()).containsAllEntriesOf(SASL_SSL);
        assertThat(api.adminProperties()).containsAllEntriesOf(SASL_SSL);
        StreamsConfig streams = new StreamsConfig(Services.streamsSettings(settings.topology(), null).toProperties());
        assertThat(streams.getProducerConfigs("topology")).containsAllEntriesOf(SASL_SSL);
        assertThat(streams.getMainConsumerConfigs("kassa-topology", "topology", 0)).containsAllEntriesOf(SASL_SSL);
        assertThat(streams.getGlobalConsumerConfigs("topology")).containsAllEntriesOf(SASL_SSL);
        assertThat(streams.getAdminConfigs("topology")).containsAllEntriesOf(SASL_SSL);
        var sink = Services.sinkSettings(settings.sink());
        assertThat(sink.consumerProperties()).containsAllEntriesOf(SASL_SSL);
        assertThat(sink.deadLetterProducerProperties()).containsAllEntriesOf(SASL_SSL);
        assertThat(RulePublisher.producerProperties(bootstrap, settings.connections().kafkaClient()))
                .containsAllEntriesOf(SASL_SSL);
        assertThat(TopicProvisioner.adminProperties(bootstrap, settings.connections().kafkaClient()))
                .containsAllEntriesOf(SASL_SSL);
    }

    @Test
    void theJdbcUrlReachesBothPoolsUnchanged() {
        GatewaySettings settings = settings(KafkaClientProperties.NONE);

        assertThat(Services.apiSettings(settings.api()).hikariConfig().getJdbcUrl()).isEqualTo(JDBC_URL);
        assertThat(Services.postgres(settings.connections()).hikariConfig().getJdbcUrl()).isEqualTo(JDBC_URL);
    }

    @Test
    void theRedissUriReachesLettuceWithTlsVerifiedAndItsPassword() {
        RedisURI uri = Services.apiSettings(settings(KafkaClientProperties.NONE).api()).redisClientUri(Duration.ofSeconds(1));

        assertThat(uri.isSsl()).isTrue();
        assertThat(uri.isVerifyPeer()).isTrue();
        assertThat(uri.getCredentialsProvider().resolveCredentials().block().getPassword())
                .containsExactly("redis-secret".toCharArray());
    }

    @Test
    void theConnectionsDescriptionNamesNoSecret() throws IOException {
        String description = settings(KafkaClientProperties.load(clientPropertiesFile())).connections().toString();

        assertThat(description).contains("db.internal:5432/kassa", "redis.internal:6380", "sasl.jaas.config")
                .doesNotContain("kafka-secret", "truststore-secret", "redis-secret", "db-password", "pg-ca.pem");
    }

    private Path clientPropertiesFile() throws IOException {
        Properties file = new Properties();
        file.putAll(SASL_SSL);
        Path path = directory.resolve("client.properties");
        try (var out = Files.newOutputStream(path)) {
            file.store(out, "Kafka client properties, as for --command-config");
        }
        return path;
    }

    private static GatewaySettings settings(KafkaClientProperties kafkaClient) {
        Connections connections = new Connections("kafka-1.internal:9093", kafkaClient, JDBC_URL, "kassa",
                "db-password", REDIS_URI);
        return GatewaySettings.builder(connections, ADMIN_TOKEN, Path.of("state")).partitions(12)
                .replicationFactor((short) 3).apiHost("0.0.0.0").apiPort(8080).instanceId("kassa-1")
                .statePort(TopologyServiceSettings.STATE_PORT_NONE).streamThreads(2).build();
    }
}
