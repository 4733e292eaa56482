package dev.kassa.app.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.runtime.EmbeddedPostgresServer;
import dev.kassa.runtime.EmbeddedRuntime;
import dev.kassa.testing.DedicatedRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code kassa topology} and {@code kassa sink} commands, each a process of its own, exit
 * non-zero when their worker dies (docs/api.md, Management port) instead of staying up doing
 * nothing. The fault is a real one: a second instance started with the same {@code --instance-id},
 * whose joining fences the first out of its consumer group.
 */
@Tag("integration")
@ExtendWith(DedicatedRuntime.class)
class FencedServiceExitIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path directory;

    private final EmbeddedRuntime runtime;
    private final List<KassaProcess> children = new ArrayList<>();

    FencedServiceExitIT(EmbeddedRuntime runtime) {
        this.runtime = runtime;
    }

    @AfterEach
    void killChildren() throws InterruptedException {
        for (KassaProcess child : children) {
            if (child.isAlive()) {
                child.killAndAwaitExit(EXIT_TIMEOUT);
            }
        }
    }

    @Test
    void topologyFencedByAnInstanceWithItsIdExitsNonZero() throws InterruptedException {
        // Plan: run kassa topology with a static member id until its Streams client is RUNNING, then
        // start a second kassa topology with the same --instance-id, as a misconfigured deployment
        // would. The group coordinator fences the first member (FencedInstanceIdException): its
        // stream threads die and the client goes to ERROR. The first process must then exit by
        // itself with code 1, saying why; before this change it stayed up, doing nothing.
        KassaProcess first = start("kassa-topology-first", "first");
        first.awaitLine("-> RUNNING", START_TIMEOUT);
        KassaProcess second = start("kassa-topology-second", "second");
        second.awaitLine("kassa topology running", START_TIMEOUT);

        assertThat(first.awaitExit(EXIT_TIMEOUT)).as("the fenced topology exits by itself; its last lines:\n%s",
                first.tailText()).isTrue();
        assertThat(first.exitValue()).as("its exit code").isEqualTo(1);
        assertThat(first.printed("Kafka Streams client went from")).as("it says why:\n%s", first.tailText()).isTrue();
    }

    @Test
    void sinkFencedByAnInstanceWithItsIdExitsNonZero() throws InterruptedException {
        // Plan: run kassa sink with a static member id until it has its partitions (sought from
        // Postgres), then start a second kassa sink with the same --instance-id. The first is fenced
        // out of its group (FencedInstanceIdException from its poll), which it cannot retry its way
        // out of without fencing the second in turn: its thread ends, and the process must exit by
        // itself with code 1. Before this change it stayed up, fencing and being fenced.
        KassaProcess first = startSink("kassa-sink-first");
        first.awaitLine("ledger sink sought", START_TIMEOUT);
        KassaProcess second = startSink("kassa-sink-second");
        second.awaitLine("kassa sink running", START_TIMEOUT);

        assertThat(first.awaitExit(EXIT_TIMEOUT)).as("the fenced sink exits by itself; its last lines:\n%s",
                first.tailText()).isTrue();
        assertThat(first.exitValue()).as("its exit code").isEqualTo(1);
        assertThat(first.printed("ledger sink fenced")).as("it says why:\n%s", first.tailText()).isTrue();
        assertThat(second.isAlive()).as("the second sink goes on; its last lines:\n%s", second.tailText()).isTrue();
    }

    private KassaProcess startSink(String name) {
        KassaProcess child = KassaProcess.start(name, KassaServices.JVM_OPTIONS, List.of("sink",
                "--kafka-bootstrap", runtime.bootstrapServers(),
                "--jdbc-url", runtime.jdbcUrl(),
                "--jdbc-user", EmbeddedPostgresServer.USER,
                "--jdbc-password", EmbeddedPostgresServer.PASSWORD,
                "--partitions", "2",
                "--instance-id", "same-instance",
                "--management-port", "0"));
        children.add(child);
        return child;
    }

    private KassaProcess start(String name, String stateDirectory) {
        KassaProcess child = KassaProcess.start(name, KassaServices.JVM_OPTIONS, List.of("topology",
                "--kafka-bootstrap", runtime.bootstrapServers(),
                "--partitions", "2",
                "--stream-threads", "1",
                "--state-dir", directory.resolve(stateDirectory).toString(),
                "--instance-id", "same-instance",
                "--state-port", "-1",
                "--management-port", "0"));
        children.add(child);
        return child;
    }
}
