package dev.kassa.ledger.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kassa.model.KafkaClientProperties;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

class SinkSettingsTest {

    @Test
    void consumerReadsCommittedOnlyWithoutAutoCommitFromTheEarliestOffset() {
        Properties properties = SinkSettings.defaults("localhost:9092").consumerProperties();

        assertThat(properties)
                .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")
                .containsEntry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
                .containsEntry(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false")
                .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "kassa-ledger-sink")
                .containsEntry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000")
                .containsEntry(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        // Every key must be one Kafka knows, or the client would only warn about a typo.
        assertThat(ConsumerConfig.configNames()).containsAll(properties.stringPropertyNames());
    }

    @Test
    void deadLetterProducerIsIdempotentWithAllAcksAndBoundedWaits() {
        Properties properties = SinkSettings.defaults("localhost:9092").deadLetterProducerProperties();

        assertThat(properties)
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
                .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none")
                .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000")
                .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        // The relay's wait covers every send's whole delivery, so no send is still pending when it marks rows.
        assertThat(SinkSettings.DEAD_LETTER_ACKNOWLEDGEMENT_WAIT).isGreaterThan(SinkSettings.DEAD_LETTER_DELIVERY_TIMEOUT);
        assertThat(ProducerConfig.configNames()).containsAll(properties.stringPropertyNames());
    }

    @Test
    void boundsAreCheckedAtConstruction() {
        SinkSettings defaults = SinkSettings.defaults("localhost:9092");

        assertThatThrownBy(() -> defaults.withBatchBounds(0, 20_000)).hasMessageContaining("maxPollRecords");
        assertThatThrownBy(() -> defaults.withBatchBounds(2_000, 10)).hasMessageContaining("batchRowsMax");
        assertThatThrownBy(() -> defaults.withRetryBackoff(Duration.ofSeconds(5), Duration.ofSeconds(1)))
                .hasMessageContaining("retryBackoffMax");
        assertThatThrownBy(() -> defaults.withPollTimeout(Duration.ofMinutes(1))).hasMessageContaining("pollTimeout");
        assertThatThrownBy(() -> defaults.withGroupId(" ")).hasMessageContaining("groupId");
        assertThatThrownBy(() -> SinkSettings.defaults(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void theConsumerAndTheDeadLetterProducerGetTheClientPropertiesFile() {
        Map<String, String> saslSsl = Map.of(
                "security.protocol", "SASL_SSL",
                "ssl.truststore.location", "/etc/kassa/kafka-truststore.p12",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"kassa\" password=\"kafka-secret\";");
        SinkSettings settings = SinkSettings.defaults("localhost:9092")
                .withKafkaClient(new KafkaClientProperties("client.properties", saslSsl));

        assertThat(settings.consumerProperties()).containsAllEntriesOf(saslSsl)
                .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        assertThat(settings.deadLetterProducerProperties()).containsAllEntriesOf(saslSsl)
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // A later wither keeps them.
        assertThat(settings.withGroupInstanceId("sink-1").consumerProperties()).containsAllEntriesOf(saslSsl);
    }

    @Test
    void aClientPropertiesKeyTheSinkSetsItselfIsRefusedWhenGiven() {
        KafkaClientProperties file = new KafkaClientProperties("client.properties",
                Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10"));

        assertThatThrownBy(() -> SinkSettings.defaults("localhost:9092").withKafkaClient(file))
                .isInstanceOf(KafkaClientProperties.InvalidException.class)
                .hasMessageContaining("max.poll.records is set by Kassa for the ledger sink's consumer");
    }
}
