package dev.kassa.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimePortsTest {

    @TempDir
    Path dataDirectory;

    @Test
    void firstStartPicksFourDistinctFreePortsAndRemembersThem() {
        RuntimePorts ports = RuntimePorts.resolve(RuntimeConfig.withFreePorts(dataDirectory));

        assertThat(Set.of(ports.kafka(), ports.kafkaController(), ports.postgres(), ports.redis())).hasSize(4);
        assertThat(dataDirectory.resolve(RuntimePorts.FILE_NAME)).exists();
    }

    @Test
    void restartAskingForFreePortsComesBackAtTheRememberedPorts() {
        RuntimePorts first = RuntimePorts.resolve(RuntimeConfig.withFreePorts(dataDirectory));

        RuntimePorts second = RuntimePorts.resolve(RuntimeConfig.withFreePorts(dataDirectory));

        assertThat(second).isEqualTo(first);
    }

    @Test
    void explicitPortWinsOverTheRememberedOneAndIsRememberedInTurn() {
        RuntimePorts first = RuntimePorts.resolve(RuntimeConfig.withFreePorts(dataDirectory));
        int explicitRedisPort = freePortOtherThan(first);

        RuntimePorts second = RuntimePorts.resolve(new RuntimeConfig(dataDirectory, 0, 0, 0, explicitRedisPort));
        RuntimePorts third = RuntimePorts.resolve(RuntimeConfig.withFreePorts(dataDirectory));

        assertThat(second).isEqualTo(
                new RuntimePorts(first.kafka(), first.kafkaController(), first.postgres(), explicitRedisPort));
        assertThat(third).isEqualTo(second);
    }

    @Test
    void aKafkaRelayGetsAFifthFreePortForItsListenerOnEveryStartNeverRemembered() {
        RuntimePorts first = RuntimePorts.resolve(RuntimeConfig.withFreePorts(dataDirectory));
        int relayPort = freePortOtherThan(first);

        RuntimePorts relayed =
                RuntimePorts.resolve(RuntimeConfig.withFreePorts(dataDirectory).withKafkaRelay(relayPort));
        RuntimePorts third = RuntimePorts.resolve(RuntimeConfig.withFreePorts(dataDirectory));

        assertThat(relayed.kafkaRelayed()).isNotIn(first.kafka(), first.kafkaController(), first.postgres(),
                first.redis(), relayPort, RuntimeConfig.NO_KAFKA_RELAY);
        assertThat(new RuntimePorts(relayed.kafka(), relayed.kafkaController(), relayed.postgres(), relayed.redis()))
                .isEqualTo(first);
        assertThat(third.kafkaRelayed()).isEqualTo(RuntimeConfig.NO_KAFKA_RELAY);
    }

    @Test
    void corruptPortsFileFailsNamingTheFileAndKey() throws IOException {
        Files.writeString(dataDirectory.resolve(RuntimePorts.FILE_NAME), "postgres.port=fifty\n");

        assertThatThrownBy(() -> RuntimePorts.resolve(RuntimeConfig.withFreePorts(dataDirectory)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(RuntimePorts.FILE_NAME)
                .hasMessageContaining("postgres.port");
    }

    @Test
    void twoComponentsOnOnePortAreRejected() {
        assertThatThrownBy(() -> new RuntimePorts(9092, 9093, 9092, 6379))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("distinct");
    }

    @Test
    void aRelayedListenerOnAnotherComponentsPortIsRejected() {
        assertThatThrownBy(() -> new RuntimePorts(9092, 9093, 5432, 6379, 5432))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kafkaRelayed=5432");
    }

    private static int freePortOtherThan(RuntimePorts ports) {
        return Loopback.freePort(Set.of(ports.kafka(), ports.kafkaController(), ports.postgres(), ports.redis()));
    }
}
