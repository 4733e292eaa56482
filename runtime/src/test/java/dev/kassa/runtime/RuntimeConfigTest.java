package dev.kassa.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RuntimeConfigTest {

    @Test
    void withFreePortsAsksForEveryPortToBeChosen() {
        RuntimeConfig config = RuntimeConfig.withFreePorts(Path.of(".kassa"));

        assertThat(config.dataDirectory()).isEqualTo(Path.of(".kassa"));
        int[] ports = {config.kafkaPort(), config.kafkaControllerPort(), config.postgresPort(), config.redisPort()};
        assertThat(ports).containsOnly(RuntimeConfig.PICK_FREE_PORT);
    }

    @Test
    void portOutsideTheTcpRangeIsRejectedNamingTheSetting() {
        assertThatThrownBy(() -> new RuntimeConfig(Path.of(".kassa"), 0, 0, 70_000, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("postgresPort")
                .hasMessageContaining("70000");
        assertThatThrownBy(() -> new RuntimeConfig(Path.of(".kassa"), -1, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kafkaPort");
    }

    @Test
    void aKafkaRelayIsOffUnlessAskedForAndNeedsItsPort() {
        RuntimeConfig config = RuntimeConfig.withFreePorts(Path.of(".kassa"));

        assertThat(config.kafkaRelayPort()).isEqualTo(RuntimeConfig.NO_KAFKA_RELAY);
        assertThat(config.withKafkaRelay(40_000).kafkaRelayPort()).isEqualTo(40_000);
        assertThatThrownBy(() -> config.withKafkaRelay(RuntimeConfig.NO_KAFKA_RELAY))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void missingDataDirectoryIsRejected() {
        assertThatThrownBy(() -> new RuntimeConfig(null, 0, 0, 0, 0))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("dataDirectory");
    }
}
