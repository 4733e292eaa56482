package dev.kassa.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The broker's listeners with and without a relayed one; its starting is the integration tests' part. */
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
    void aRelayedListenerOnAKafkaPortIsRejected() {
        assertThatThrownBy(() -> new EmbeddedKafka(DATA, 9092, 9093, new EmbeddedKafka.RelayedListener(9093, 40_000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("relayed listener");
    }
}
