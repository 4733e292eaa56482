package dev.kassa.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.bench.net.Datastores;
import dev.kassa.bench.report.RunResult;
import dev.kassa.ledger.verify.InvariantResult;
import dev.kassa.runtime.EmbeddedRuntime;
import dev.kassa.topology.StreamsSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code --datastore-rtt 1ms}: the embedded runtime with a delay proxy in front of Kafka, Postgres and
 * Redis. A Kafka client bootstrapped at the relay is told only the relay's address by metadata (so it
 * never bypasses the delay), the services and the baseline get the proxies' addresses, and a short
 * Kassa run and a short baseline run still persist every accepted payment once. No speed is asserted.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatastoreRttIT {

    private static final Duration ROUND_TRIP = Duration.ofMillis(1);
    private static final Duration RUN = Duration.ofSeconds(3);

    private Path temporary;
    private BenchEnvironment environment;
    private ScenarioRunner runner;

    @BeforeAll
    void startOnce() throws Exception {
        temporary = Files.createTempDirectory("kassa-bench-rtt-it-");
        environment = BenchEnvironment.embedded(temporary.resolve("runtime"), 3, StreamsSettings.STREAM_THREADS_DEFAULT,
                ROUND_TRIP);
        runner = new ScenarioRunner(environment, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
    }

    @AfterAll
    void stop() throws IOException {
        if (environment != null) {
            environment.close();
        }
        try (Stream<Path> paths = Files.walk(temporary)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Test
    void kafkaMetadataThroughTheRelayNamesOnlyTheRelay() throws Exception {
        Datastores datastores = environment.datastores();
        EmbeddedRuntime runtime = datastores.runtime();
        Map<String, Object> settings = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, datastores.kafkaBootstrap());
        try (Admin admin = Admin.create(settings)) {
            Collection<Node> nodes = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);

            assertThat(nodes).extracting(node -> node.host() + ":" + node.port())
                    .containsExactly(datastores.kafkaBootstrap());
        }
        assertThat(datastores.kafkaBootstrap()).isNotEqualTo(runtime.bootstrapServers());
    }

    @Test
    void theServicesAndTheBaselineAreGivenTheProxiesAddresses() {
        Datastores datastores = environment.datastores();
        EmbeddedRuntime runtime = datastores.runtime();

        assertThat(environment.datastoreRoundTrip()).isEqualTo(ROUND_TRIP);
        assertThat(datastores.connections().jdbcUrl()).isNotEqualTo(runtime.jdbcUrl()).endsWith("/kassa");
        assertThat(datastores.connections().redisUri()).isNotEqualTo(runtime.redisUri()).startsWith("redis://");
        assertThat(datastores.connections().kafkaBootstrap()).isEqualTo(datastores.kafkaBootstrap());
    }

    @Test
    void kassaAndTheBaselinePersistEveryAcceptedPaymentOnceBehindTheDelay() throws Exception {
        RunSpec steady = new RunSpec(Scenario.STEADY, false, 20, 16, RUN, 10, 5, Duration.ofMillis(100),
                Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ZERO);

        assertLedgerMatchesAnswers(runner.run(steady));
        assertLedgerMatchesAnswers(runner.run(steady.asBaseline()));
    }

    private static void assertLedgerMatchesAnswers(RunResult run) {
        RunResult.Checks checks = run.checks();
        assertThat(checks.holds()).as("%s", checks).isTrue();
        assertThat(run.accepted()).isPositive();
        assertThat(checks.persisted().payments()).isEqualTo(checks.apiPaymentIds());
        assertThat(checks.verifier()).isNotEmpty().allMatch(InvariantResult::holds);
    }
}
