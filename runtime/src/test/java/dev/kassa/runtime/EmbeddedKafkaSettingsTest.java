package dev.kassa.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import org.junit.jupiter.api.Test;

/**
 * The broker's settings: its listeners with and without a relayed one, and how it holds a write that
 * races the previous transaction's markers. Its starting is the integration tests' part.
 */
class EmbeddedKafkaSettingsTest {

    private static final Path DATA = Path.of("data");

    @Test
    void withoutARelayTheOnlyClientListenerIsPlaintext() {
        Properties settings = new EmbeddedKafka(DATA, 9092, 9093).settings();

        assertThat(settings.getProperty("listeners"))
                .isEqualTo("PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093");
        assertThat(settings.getProperty("advertised.listeners")).isEqualTo("PLAINTEXT://127.0.0.1:9092");
    }

    @Test
    void aRelayedListenerBindsItsOwnPortAndAdvertisesTheRelays() {
        EmbeddedKafka kafka = new EmbeddedKafka(DATA, 9092, 9093, new EmbeddedKafka.RelayedListener(9094, 40_000));
        Properties settings = kafka.settings();

        assertThat(settings.getProperty("listeners")).endsWith(",RELAYED://127.0.0.1:9094");
        assertThat(settings.getProperty("advertised.listeners"))
                .isEqualTo("PLAINTEXT://127.0.0.1:9092,RELAYED://127.0.0.1:40000");
        assertThat(settings.getProperty("listener.security.protocol.map")).contains("RELAYED:PLAINTEXT");
        assertThat(settings.getProperty("inter.broker.listener.name")).isEqualTo("PLAINTEXT");
        assertThat(kafka.relayedListener().orElseThrow().bootstrapServers()).isEqualTo("127.0.0.1:40000");
        assertThat(kafka.relayedListener().orElseThrow().address().getPort()).isEqualTo(9094);
    }

    @Test
    void aSaslListenerAcceptsOnlyPlainAuthenticationOfItsOneUser() {
        EmbeddedKafka kafka = new EmbeddedKafka(DATA, 9092, 9093, null,
                new EmbeddedKafka.SaslPlainListener(9095, "kassa", "its-password"));
        Properties settings = kafka.settings();

        assertThat(settings.getProperty("listeners")).endsWith(",SASL://127.0.0.1:9095");
        assertThat(settings.getProperty("advertised.listeners"))
                .isEqualTo("PLAINTEXT://127.0.0.1:9092,SASL://127.0.0.1:9095");
        assertThat(settings.getProperty("listener.security.protocol.map")).contains("SASL:SASL_PLAINTEXT");
        assertThat(settings).containsEntry("sasl.enabled.mechanisms", "PLAIN")
                .containsEntry("listener.name.sasl.plain.sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required user_kassa=\"its-password\";");
        assertThat(settings.getProperty("inter.broker.listener.name")).isEqualTo("PLAINTEXT");
        KafkaConfig.fromProps(settings, false);
    }

    @Test
    void aRelayedListenerOnAKafkaPortIsRejected() {
        assertThatThrownBy(() -> new EmbeddedKafka(DATA, 9092, 9093, new EmbeddedKafka.RelayedListener(9093, 40_000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("relayed listener");
    }

    @Test
    void brokerHoldsAWriteRacingThePreviousTransactionsMarkersInsteadOfRefusingIt() {
        Properties settings = new EmbeddedKafka(DATA, 19092, 19093).settings();

        assertThat(settings).containsEntry("add.partitions.to.txn.retry.backoff.ms", "1")
                .containsEntry("add.partitions.to.txn.retry.backoff.max.ms", "500")
                // Transaction verification (KIP-890) guards exactly once; it is never switched off.
                .doesNotContainKey("transaction.partition.verification.enable");
        KafkaConfig config = KafkaConfig.fromProps(settings, false);
        assertThat(config.getInt("add.partitions.to.txn.retry.backoff.max.ms")).isEqualTo(500);
        assertThat(config.getInt("add.partitions.to.txn.retry.backoff.ms")).isEqualTo(1);
        // The broker caps its own retries at request.timeout.ms; the wait must fit well within it.
        assertThat(config.requestTimeoutMs()).isGreaterThan(500 * 10);
        assertThat(config.getBoolean("transaction.partition.verification.enable")).isTrue();
    }
}
