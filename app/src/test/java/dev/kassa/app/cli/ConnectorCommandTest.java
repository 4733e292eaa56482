package dev.kassa.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kassa.app.connector.ConnectorSettings;
import dev.kassa.model.KafkaClientProperties;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The flags of {@code kassa connector} and their defaults (README, Configuration). */
class ConnectorCommandTest {

    @Test
    void withOnlyTheKeyTheDocumentedDefaultsApply() {
        ConnectorCommand command = parse("--processor-api-key", "sk_test_1");

        ConnectorSettings settings = command.connector.toSettings(command.kafka.bootstrap, KafkaClientProperties.NONE);

        assertThat(settings).isEqualTo(new ConnectorSettings("localhost:9092", KafkaClientProperties.NONE,
                URI.create("http://127.0.0.1:8090"), "sk_test_1", 8, Duration.ofMillis(200), Duration.ofSeconds(30),
                Duration.ofSeconds(10), "connector-1"));
    }

    @Test
    void flagsSetTheProcessorAndThePace() {
        ConnectorCommand command = parse("--processor-api-key", "k", "--processor-url", "https://acquirer.example:9443",
                "--connector-concurrency", "32", "--connector-retry-backoff-min", "1s",
                "--connector-retry-backoff-max", "2m");

        ConnectorSettings settings = command.connector.toSettings("kafka:9092", KafkaClientProperties.NONE);

        assertThat(settings.processorUrl()).isEqualTo(URI.create("https://acquirer.example:9443"));
        assertThat(settings.concurrency()).isEqualTo(32);
        assertThat(settings.retryBackoffMin()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.retryBackoffMax()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void outOfBoundsSettingsAreRefusedNamingThem() {
        assertThatThrownBy(() -> parse("--connector-concurrency", "0").connector.toSettings("k:9092",
                KafkaClientProperties.NONE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("processorApiKey");
        assertThatThrownBy(() -> parse("--processor-api-key", "k", "--connector-concurrency", "0").connector
                .toSettings("k:9092", KafkaClientProperties.NONE)).hasMessageContaining("concurrency");
        assertThatThrownBy(() -> parse("--processor-api-key", "k", "--connector-retry-backoff-min", "10s",
                "--connector-retry-backoff-max", "1s").connector.toSettings("k:9092", KafkaClientProperties.NONE))
                .hasMessageContaining("retryBackoffMax");
    }

    private static ConnectorCommand parse(String... arguments) {
        ConnectorCommand command = new ConnectorCommand();
        new CommandLine(command).parseArgs(arguments);
        return command;
    }
}
