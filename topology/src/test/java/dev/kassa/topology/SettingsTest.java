package dev.kassa.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kassa.fraud.FraudRules;
import dev.kassa.model.KafkaClientProperties;
import dev.kassa.model.Topics;
import dev.kassa.topology.errors.CommandStageFailureHandler;
import dev.kassa.topology.errors.UnreadableRecordHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class SettingsTest {

    private static final StreamsSettings EMBEDDED = embedded().build();

    /** One instance against a single broker, as {@code kassa dev} runs it. */
    private static StreamsSettings.Builder embedded() {
        return StreamsSettings.builder().bootstrapServers("localhost:9092").stateDir(Path.of("state"));
    }

    @Test
    void everySafetySettingIsExplicit() {
        Properties props = EMBEDDED.toProperties();

        assertThat(props).containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "kassa-topology")
                .containsEntry(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1)
                .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 50L)
                .containsEntry("producer.acks", "all")
                .containsEntry("consumer.isolation.level", "read_committed")
                .containsEntry("producer.retry.backoff.ms", 5)
                .containsEntry("producer.compression.type", "none")
                .containsEntry(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.NO_OPTIMIZATION)
                .containsEntry(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true)
                .containsEntry(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.DEAD_LETTER.name())
                .containsEntry(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                        UnreadableRecordHandler.class)
                .containsEntry(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                        CommandStageFailureHandler.class)
                .containsEntry(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true)
                .containsKeys(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG);
    }

    @Test
    void kafkaStreamsHandsTheSafetySettingsToItsClients() {
        StreamsConfig config = new StreamsConfig(embedded().replication(3, 2).build().toProperties());

        Map<String, Object> producer = config.getProducerConfigs("client");
        Map<String, Object> consumer = config.getMainConsumerConfigs("group", "client", 0);

        assertThat(producer).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 5)
                .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        assertThat(consumer).containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        assertThat(config.getInt(StreamsConfig.REPLICATION_FACTOR_CONFIG)).isEqualTo(3);
        assertThat(config.originals()).containsEntry("topic.min.insync.replicas", 2);
    }

    @Test
    void applicationServerIsAdvertisedOnlyWhenSet() {
        assertThat(EMBEDDED.toProperties()).doesNotContainKey(StreamsConfig.APPLICATION_SERVER_CONFIG);

        StreamsSettings.Builder builder = embedded().applicationServer("127.0.0.1:8081");
        StreamsSettings advertised = builder.build();

        assertThat(advertised.toProperties()).containsEntry(StreamsConfig.APPLICATION_SERVER_CONFIG, "127.0.0.1:8081");
        assertThat(builder.streamThreads(2).closeTimeout(Duration.ofSeconds(5)).build().applicationServer())
                .isEqualTo("127.0.0.1:8081");
        assertThat(builder.applicationServer(null).build().toProperties())
                .doesNotContainKey(StreamsConfig.APPLICATION_SERVER_CONFIG);
        assertThat(new StreamsConfig(advertised.toProperties()).getString(StreamsConfig.APPLICATION_SERVER_CONFIG))
                .isEqualTo("127.0.0.1:8081");
    }

    @Test
    void applicationServerThatNobodyCouldConnectToIsRejectedAtConstruction() {
        for (String unusable : new String[] {"", "localhost", "localhost:", ":8081", "localhost:0", "localhost:65536",
                "localhost:http", "0.0.0.0:8081", "[::]:8081"}) {
            assertThatThrownBy(() -> embedded().applicationServer(unusable).build())
                    .as(unusable).hasMessageContaining("applicationServer");
        }
        assertThat(embedded().applicationServer("[::1]:8081").build().applicationServer()).isEqualTo("[::1]:8081");
    }

    @Test
    void dedupeRetentionDefaultsToTheApisDayPlusAnHourOfMargin() {
        assertThat(TopologySettings.defaults().dedupeRetention()).isEqualTo(Duration.ofHours(25));
        assertThat(TopologySettings.builder().fraudRules(FraudRules.allowAll()).ledgerPartitions(3).build().dedupeRetention())
                .isEqualTo(TopologySettings.DEDUPE_RETENTION_DEFAULT);
    }

    @Test
    void settingsOutsideTheirBoundsAreRejectedAtConstruction() {
        assertThatThrownBy(() -> embedded().replication(1, 2).build()).hasMessageContaining("minInSyncReplicas");
        assertThatThrownBy(() -> embedded().commitInterval(Duration.ZERO).build()).hasMessageContaining("commitInterval");
        assertThatThrownBy(() -> embedded().commitInterval(Duration.ofMinutes(1)).build()).hasMessageContaining("commitInterval");
        assertThatThrownBy(() -> embedded().streamThreads(0).build()).hasMessageContaining("streamThreads");
        assertThatThrownBy(() -> embedded().applicationId(" ").build()).hasMessageContaining("applicationId");
        assertThatThrownBy(() -> embedded().closeTimeout(Duration.ofHours(1)).build()).hasMessageContaining("closeTimeout");
        assertThatThrownBy(() -> TopologySettings.builder().fraudRules(FraudRules.allowAll()).ledgerPartitions(0).build())
                .hasMessageContaining("ledgerPartitions");
        assertThatThrownBy(() -> TopologySettings.builder().fraudRules(null).build()).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> TopologySettings.builder().dedupeRetention(Duration.ZERO).build())
                .hasMessageContaining("dedupeRetention");
        assertThatThrownBy(() -> TopologySettings.builder().dedupeRetention(Duration.ofDays(32)).build())
                .hasMessageContaining("dedupeRetention");
        assertThatThrownBy(() -> TopologySettings.builder().dedupeRetention(null).build())
                .isInstanceOf(NullPointerException.class);
    }

    private static final Map<String, String> SASL_SSL = Map.of(
            "security.protocol", "SASL_SSL",
            "ssl.truststore.location", "/etc/kassa/kafka-truststore.p12",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                    + "username=\"kassa\" password=\"kafka-secret\";");

    @Test
    void everyClientKafkaStreamsMakesGetsTheClientPropertiesFileAndKeepsExactlyOnce() {
        StreamsSettings settings = embedded().kafkaClient(new KafkaClientProperties("client.properties", SASL_SSL)).build();

        // Kafka Streams derives each of its clients' configurations from these properties.
        StreamsConfig config = new StreamsConfig(settings.toProperties());
        Map<String, Object> producer = config.getProducerConfigs("kassa-producer");
        assertThat(producer).containsAllEntriesOf(SASL_SSL).containsEntry("acks", "all");
        assertThat(config.getMainConsumerConfigs("kassa-topology", "kassa-consumer", 0)).containsAllEntriesOf(SASL_SSL)
                .containsEntry("isolation.level", "read_committed");
        assertThat(config.getRestoreConsumerConfigs("kassa-restore")).containsAllEntriesOf(SASL_SSL);
        assertThat(config.getGlobalConsumerConfigs("kassa-global")).containsAllEntriesOf(SASL_SSL);
        assertThat(config.getAdminConfigs("kassa-admin")).containsAllEntriesOf(SASL_SSL);
        assertThat(config.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
    }

    @Test
    void aClientPropertiesKeyTheTopologySetsItselfIsRefusedWhenGiven() {
        KafkaClientProperties file = new KafkaClientProperties("client.properties",
                Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "30000"));

        assertThatThrownBy(() -> embedded().kafkaClient(file).build())
                .isInstanceOf(KafkaClientProperties.InvalidException.class)
                .hasMessageContaining("commit.interval.ms is set by Kassa for the topology's Kafka Streams client");
    }
}
