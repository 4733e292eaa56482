package dev.kassa.app.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kassa.app.Connections;
import dev.kassa.app.GatewaySettings;
import dev.kassa.app.Services;
import dev.kassa.app.TopologyServiceSettings;
import dev.kassa.app.cli.UntilShutdown;
import dev.kassa.model.OpenAccount;
import dev.kassa.model.Topics;
import dev.kassa.runtime.EmbeddedRuntime;
import dev.kassa.testing.DedicatedRuntime;
import dev.kassa.topology.TopologySettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service whose worker dies must not stay up doing nothing (docs/api.md, Management port): the
 * real sink and the real topology, on a broker and Postgres of this class's own, each with a fault
 * injected through its hook that kills its worker; the watch that {@code kassa sink} and
 * {@code kassa topology} run ({@link UntilShutdown}) must then return the non-zero exit code the
 * command exits with, after the management listener reported the service unhealthy.
 */
@Tag("integration")
@ExtendWith(DedicatedRuntime.class)
class WorkerDeathIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String ADMIN_TOKEN = "worker-death-admin-token-7c1e5a9d3b2f";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path stateDir;

    private final EmbeddedRuntime runtime;

    WorkerDeathIT(EmbeddedRuntime runtime) {
        this.runtime = runtime;
    }

    /** An {@link Error}: what no retry loop of the services catches, as an out-of-memory would be. */
    private static final class InjectedDeath extends Error {
        InjectedDeath(String message) {
            super(message);
        }
    }

    @Test
    void sinkWhoseWorkerThreadDiesExitsNonZeroWithNothingWritten() throws Exception {
        // Plan: start the real sink with a commit hook that throws an Error, publish one record to
        // payments.events (unreadable bytes, which the sink sets aside in dead_letters in the batch's
        // transaction, so the batch reaches its commit). The sink's thread dies; /health must answer
        // 503, the command's watch must return exit code 1, and the batch must not be committed: no
        // dead letter row.
        GatewaySettings settings = settings();
        Services.prepare(settings);
        Services.RunningSink sink = Services.startSink(settings.sink(), batch -> {
            throw new InjectedDeath("injected: the sink's worker dies before committing " + batch.records().size()
                    + " record(s)");
        });
        try {
            String management = sink.management().url();
            assertThat(status(management + "/health")).as("a live sink is healthy").isEqualTo(200);
            publish(Topics.PAYMENTS_EVENTS.name(), "not an event".getBytes(StandardCharsets.UTF_8));

            // The thread dies of the injected error on purpose: Awaitility must not take it for the test's.
            await("the sink's thread to die").dontCatchUncaughtExceptions().atMost(WAIT)
                    .until(() -> sink.failure().isDone());
            assertThat(sink.failure().join()).contains("ledger sink's thread died").contains("injected");
            assertThat(sink.thread().isAlive()).isFalse();
            assertThat(status(management + "/health")).as("a sink without its thread is unhealthy").isEqualTo(503);

            assertThat(awaitExitCode(sink, sink.failure())).isEqualTo(UntilShutdown.EXIT_WORKER_DIED).isNotZero();
            assertThatThrownBy(() -> status(management + "/health")).as("the listener is closed with the sink")
                    .isInstanceOf(IOException.class);
            assertThat(count("SELECT count(*) FROM dead_letters")).as("the dying batch was not committed").isZero();
        } finally {
            sink.close();
        }
    }

    @Test
    void topologyWhoseStreamsClientFailsExitsNonZero() throws Exception {
        // Plan: start the real topology with a fault that throws an Error at the initiate stage, which
        // no processing handler sets aside: the stream thread dies and the client shuts itself down
        // (KassaStreams: SHUTDOWN_CLIENT) to ERROR. Once it ran, publish one command. The failure must
        // be reported, /health answer 503 with the state, and the command's watch return exit code 1.
        TopologySettings faulty = TopologySettings.builder().faults(command -> {
            throw new InjectedDeath("injected: the stream thread dies on " + command.key());
        }).build();
        Services.RunningTopology topology = Services.startTopology(settings().topology(), faulty);
        try {
            String management = topology.management().url();
            await("the topology to run").atMost(WAIT).until(() -> status(management + "/ready") == 200);
            try (CommandProducer producer = new CommandProducer(runtime.bootstrapServers())) {
                producer.send(new OpenAccount("acct_workerdeath", "mer_workerdeath", "open-1", "usd", Instant.now(), null))
                        .flush();
            }

            await("the Streams client to fail").atMost(WAIT).until(() -> topology.failure().isDone());
            assertThat(topology.failure().join()).containsAnyOf("PENDING_ERROR", "ERROR");
            await("the Streams client in ERROR").atMost(WAIT)
                    .until(() -> topology.streams().state() == KafkaStreams.State.ERROR);
            assertThat(status(management + "/health")).as("a failed topology is unhealthy").isEqualTo(503);
            assertThat(status(management + "/ready")).isEqualTo(503);

            assertThat(awaitExitCode(topology, topology.failure())).isEqualTo(UntilShutdown.EXIT_WORKER_DIED).isNotZero();
        } finally {
            topology.close();
        }
    }

    /** Runs the commands' watch on a thread of its own, as their main thread would, bounded by {@link #WAIT}. */
    private static int awaitExitCode(AutoCloseable services, CompletableFuture<String> failure) throws Exception {
        return CompletableFuture.supplyAsync(() -> UntilShutdown.await(services, failure))
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private GatewaySettings settings() {
        Connections connections = new Connections(runtime.bootstrapServers(), runtime.jdbcUrl(),
                runtime.postgres().user(), runtime.postgres().password(), runtime.redisUri());
        return GatewaySettings.builder(connections, ADMIN_TOKEN, stateDir).partitions(2).outcomeWait(Duration.ofSeconds(2))
                .statePort(TopologyServiceSettings.STATE_PORT_NONE).streamThreads(1).build();
    }

    private void publish(String topic, byte[] value) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, runtime.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "poison".getBytes(StandardCharsets.UTF_8), value))
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private long count(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(runtime.jdbcUrl(), runtime.postgres().user(),
                runtime.postgres().password());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static int status(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
