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
        Properties properties = SinkSettings.builder().bootstrapServers("localhost:9092").build().consumerProperties();

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
        Properties properties = SinkSettings.builder().bootstrapServers("localhost:9092").build().deadLetterProducerProperties();

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
        assertThatThrownBy(() -> local().maxPollRecords(0).build()).hasMessageContaining("maxPollRecords");
        assertThatThrownBy(() -> local().batchRowsMax(10).build()).hasMessageContaining("batchRowsMax");
        assertThatThrownBy(() -> local().writers(0).build()).hasMessageContaining("writers");
        assertThatThrownBy(() -> local().writers(SinkSettings.WRITERS_MAX + 1).build()).hasMessageContaining("writers");
        assertThatThrownBy(() -> local().retryBackoffMin(Duration.ofSeconds(5)).retryBackoffMax(Duration.ofSeconds(1)).build())
                .hasMessageContaining("retryBackoffMax");
        assertThatThrownBy(() -> local().pollTimeout(Duration.ofMinutes(1)).build()).hasMessageContaining("pollTimeout");
        assertThatThrownBy(() -> local().groupId(" ").build()).hasMessageContaining("groupId");
        assertThatThrownBy(() -> SinkSettings.builder().bootstrapServers(null).build())
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void theConsumerAndTheDeadLetterProducerGetTheClientPropertiesFile() {
        Map<String, String> saslSsl = Map.of(
                "security.protocol", "SASL_SSL",
                "ssl.truststore.location", "/etc/kassa/kafka-truststore.p12",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"kassa\" password=\"kafka-secret\";");
        SinkSettings.Builder builder = local().kafkaClient(new KafkaClientProperties("client.properties", saslSsl));
        SinkSettings settings = builder.build();

        assertThat(settings.consumerProperties()).containsAllEntriesOf(saslSsl)
                .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        assertThat(settings.deadLetterProducerProperties()).containsAllEntriesOf(saslSsl)
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // A setting given later keeps them.
        assertThat(builder.groupInstanceId("sink-1").build().consumerProperties()).containsAllEntriesOf(saslSsl);
    }

    @Test
    void aClientPropertiesKeyTheSinkSetsItselfIsRefusedWhenGiven() {
        KafkaClientProperties file = new KafkaClientProperties("client.properties",
                Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10"));

        assertThatThrownBy(() -> local().kafkaClient(file).build())
                .isInstanceOf(KafkaClientProperties.InvalidException.class)
                .hasMessageContaining("max.poll.records is set by Kassa for the ledger sink's consumer");
    }

    private static SinkSettings.Builder local() {
        return SinkSettings.builder().bootstrapServers("localhost:9092");
    }
}
