package dev.kassa.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kassa.topology.StreamsSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GatewaySettingsTest {

    private static final Connections CONNECTIONS = new Connections("localhost:9092",
            "jdbc:postgresql://localhost:5432/kassa", "kassa", "kassa", "redis://localhost:6379");

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, StreamsSettings.STREAM_THREADS_MAX + 1})
    void streamThreadsOutsideTheirBoundsAreRefusedByName(int threads) {
        assertThatThrownBy(() -> settings(threads))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("stream threads must be within 1.." + StreamsSettings.STREAM_THREADS_MAX + ": " + threads);
    }

    @Test
    void streamThreadsWithinTheirBoundsAreKept() {
        assertThat(settings(1).streamThreads()).isEqualTo(1);
        assertThat(settings(StreamsSettings.STREAM_THREADS_DEFAULT).streamThreads()).isEqualTo(2);
        assertThat(settings(StreamsSettings.STREAM_THREADS_MAX).streamThreads())
                .isEqualTo(StreamsSettings.STREAM_THREADS_MAX);
    }

    @Test
    void embeddedSettingsPutTheManagementListenersOnFreeLoopbackPorts() {
        GatewaySettings embedded = settings(1);

        assertThat(embedded.managementHost()).isEqualTo("127.0.0.1");
        assertThat(embedded.managementPort()).isZero();
        assertThat(embedded.managementPort(2)).as("a free port stays a free port").isZero();
    }

    @Test
    void oneProcessPutsTheTopologysAndTheSinksManagementListenersAfterTheApis() {
        GatewaySettings dev = settings(1).toBuilder().managementPort(9090).build();

        assertThat(dev.managementPort(0)).isEqualTo(9090);
        assertThat(dev.managementPort(1)).isEqualTo(9091);
        assertThat(dev.managementPort(2)).isEqualTo(9092);
        assertThatThrownBy(() -> settings(1).toBuilder().managementPort(70_000).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("management port");
    }

    private static GatewaySettings settings(int streamThreads) {
        return GatewaySettings.builder(CONNECTIONS, "an-admin-token-of-length", Path.of("state")).apiPort(8080)
                .statePort(TopologyServiceSettings.STATE_PORT_NONE).streamThreads(streamThreads).build();
    }
}
