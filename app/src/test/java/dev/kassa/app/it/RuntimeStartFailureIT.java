package dev.kassa.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kassa.runtime.EmbeddedRuntime;
import dev.kassa.runtime.EmbeddedRuntimeException;
import dev.kassa.runtime.RuntimeConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A runtime that cannot start must say why and leave nothing running or locked behind. */
@Tag("integration")
class RuntimeStartFailureIT {

    @TempDir
    Path dataDirectory;

    @Test
    void takenPostgresPortFailsTheStartAndStopsWhateverDidStart() throws IOException {
        // Plan: occupy a port, ask for Postgres on it. The start must fail naming the port, while
        // Redis and Kafka (started alongside) are stopped again and the directory is unlocked, so a
        // start with a free port right after succeeds.
        try (ServerSocket occupied = new ServerSocket()) {
            occupied.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int takenPort = occupied.getLocalPort();

            assertThatThrownBy(() -> EmbeddedRuntime.start(new RuntimeConfig(dataDirectory, 0, 0, takenPort, 0)))
                    .isInstanceOf(EmbeddedRuntimeException.class)
                    .hasMessageContaining("Postgres cannot listen on 127.0.0.1:" + takenPort);
        }

        try (EmbeddedRuntime runtime = EmbeddedRuntime.start(RuntimeConfig.withFreePorts(dataDirectory))) {
            assertThat(runtime.postgres().isRunning()).isTrue();
            assertThat(runtime.redis().isRunning()).isTrue();
            assertThat(runtime.kafka().isRunning()).isTrue();
        }
    }
}
