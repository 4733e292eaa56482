package dev.kassa.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kassa.runtime.EmbeddedRuntime;
import dev.kassa.runtime.EmbeddedRuntimeException;
import dev.kassa.runtime.RuntimeConfig;
import dev.kassa.testing.KafkaProbe;
import dev.kassa.testing.RuntimeChild;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash that matters for {@code kassa dev}: the JVM running the runtime is killed with SIGKILL,
 * leaving Postgres and Redis running as orphans that hold the data directory, and a new runtime on
 * the same directory must come back with everything that was committed.
 */
@Tag("integration")
class RuntimeRestartIT {

    private static final Duration CHILD_START_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration KAFKA_WAIT = Duration.ofSeconds(60);
    private static final Duration EXIT_WAIT = Duration.ofSeconds(10);
    private static final String POSTMASTER_PID_FILE = "postgres/postmaster.pid";
    private static final String REDIS_PID_FILE = "redis/redis.pid";

    @TempDir
    Path dataDirectory;

    @TempDir
    Path childOutputDirectory;

    private Process childProcess;

    @Test
    void runtimeKilledWithSigkillComesBackWithEveryCommittedWrite() throws Exception {
        // Plan: a child JVM runs the runtime; through it we commit a Postgres row, a Redis key and a
        // Kafka record (seen by a read_committed consumer, so its commit marker is written). We then
        // SIGKILL the child: Postgres and Redis keep running as orphans, the broker dies mid-flight.
        // A runtime started here on the same directory must stop the orphans, come back at the same
        // addresses, and return the row, the key and the record; closing it must leave no process.
        ChildAddresses childAddresses = startChild();
        assertSecondRuntimeIsRefusedWhileTheChildRuns();
        writeThroughChild(childAddresses);
        long postmasterPid = pidFrom(POSTMASTER_PID_FILE);
        long redisPid = pidFrom(REDIS_PID_FILE);

        killChild();
        assertThat(isAlive(postmasterPid)).as("postmaster orphaned by the killed JVM").isTrue();
        assertThat(isAlive(redisPid)).as("redis orphaned by the killed JVM").isTrue();

        long restartedPostmasterPid;
        long restartedRedisPid;
        try (EmbeddedRuntime restarted = EmbeddedRuntime.start(RuntimeConfig.withFreePorts(dataDirectory))) {
            assertThat(isAlive(postmasterPid)).as("orphaned postmaster stopped").isFalse();
            assertThat(isAlive(redisPid)).as("orphaned redis stopped").isFalse();
            assertThat(new ChildAddresses(restarted.bootstrapServers(), restarted.jdbcUrl(), restarted.redisUri()))
                    .isEqualTo(childAddresses);
            assertEverythingCommittedIsBack(restarted);
            restartedPostmasterPid = pidFrom(POSTMASTER_PID_FILE);
            restartedRedisPid = pidFrom(REDIS_PID_FILE);
        }
        // pg_ctl returns once the pid file is gone, a moment before the process itself has exited.
        await().atMost(EXIT_WAIT).until(() -> !isAlive(restartedPostmasterPid) && !isAlive(restartedRedisPid));
    }

    /** The directory lock must turn a second runtime away instead of "stopping orphans" that are alive and owned. */
    private void assertSecondRuntimeIsRefusedWhileTheChildRuns() throws IOException {
        long postmasterPid = pidFrom(POSTMASTER_PID_FILE);
        assertThatThrownBy(() -> EmbeddedRuntime.start(RuntimeConfig.withFreePorts(dataDirectory)))
                .isInstanceOf(EmbeddedRuntimeException.class)
                .hasMessageContaining("in use by another Kassa runtime (pid " + childProcess.pid() + ")");
        assertThat(isAlive(postmasterPid)).as("the child's postmaster after the refused start").isTrue();
    }

    private void writeThroughChild(ChildAddresses addresses) throws SQLException {
        try (Connection connection = connect(addresses.jdbcUrl()); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE payments (id text PRIMARY KEY, amount_minor bigint NOT NULL)");
            statement.execute("INSERT INTO payments VALUES ('payment-1', 1250)");
        }
        RedisClient redis = RedisClient.create(addresses.redisUri());
        try (StatefulRedisConnection<String, String> connection = redis.connect()) {
            assertThat(connection.sync().set("idempotency:payment-1", "seen")).isEqualTo("OK");
        } finally {
            redis.shutdown();
        }
        KafkaProbe.createTopic(addresses.bootstrapServers(), "payments.events");
        try (KafkaProducer<String, String> producer =
                KafkaProbe.transactionalProducer(addresses.bootstrapServers(), "restart-it")) {
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("payments.events", "payment-1", "PaymentCompleted"));
            producer.commitTransaction();
        }
        assertThat(readCommitted(addresses.bootstrapServers())).containsExactly("PaymentCompleted");
    }

    private void assertEverythingCommittedIsBack(EmbeddedRuntime runtime) throws SQLException {
        try (Connection connection = connect(runtime.jdbcUrl());
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT amount_minor FROM payments WHERE id = 'payment-1'")) {
            assertThat(result.next()).as("the payment row").isTrue();
            assertThat(result.getLong(1)).isEqualTo(1250L);
        }
        RedisClient redis = RedisClient.create(runtime.redisUri());
        try (StatefulRedisConnection<String, String> connection = redis.connect()) {
            assertThat(connection.sync().get("idempotency:payment-1")).isEqualTo("seen");
        } finally {
            redis.shutdown();
        }
        assertThat(readCommitted(runtime.bootstrapServers())).containsExactly("PaymentCompleted");
    }

    private static List<String> readCommitted(String bootstrapServers) {
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = KafkaProbe.committedReader(bootstrapServers, "payments.events")) {
            await().atMost(KAFKA_WAIT)
                    .until(() -> KafkaProbe.pollValuesInto(consumer, seen), values -> !values.isEmpty());
        }
        return seen;
    }

    /**
     * Launches {@link RuntimeChild} with this JVM's class path (under failsafe, a manifest-only jar
     * that names every dependency) and waits for its ready line.
     */
    private ChildAddresses startChild() throws IOException {
        Path output = childOutputDirectory.resolve("runtime-child.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        childProcess = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                RuntimeChild.class.getName(), dataDirectory.toString())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            await().atMost(CHILD_START_TIMEOUT)
                    .failFast("the runtime child exited", () -> !childProcess.isAlive())
                    .until(() -> readyLine(output).isPresent());
        } catch (RuntimeException e) {
            throw new AssertionError("the runtime child did not get ready; its output:\n"
                    + Files.readString(output, StandardCharsets.UTF_8), e);
        }
        return ChildAddresses.parse(readyLine(output).orElseThrow());
    }

    private static Optional<String> readyLine(Path output) throws IOException {
        return Files.readAllLines(output, StandardCharsets.UTF_8).stream()
                .filter(line -> line.startsWith(RuntimeChild.READY_MARKER))
                .findFirst();
    }

    private void killChild() throws InterruptedException {
        childProcess.destroyForcibly();
        assertThat(childProcess.waitFor(30, TimeUnit.SECONDS)).as("the child died of SIGKILL").isTrue();
    }

    /** Whatever happened, leave no child JVM and no Postgres or Redis running on this test's directory. */
    @AfterEach
    void killLeftovers() throws IOException {
        if (childProcess != null) {
            childProcess.destroyForcibly();
        }
        for (String pidFile : List.of(POSTMASTER_PID_FILE, REDIS_PID_FILE)) {
            if (Files.exists(dataDirectory.resolve(pidFile))) {
                ProcessHandle.of(pidFrom(pidFile))
                        .filter(RuntimeRestartIT::isOurServer)
                        .ifPresent(ProcessHandle::destroy);
            }
        }
    }

    /** A stale pid file may name a reused pid; only a postgres or redis-server is ours to stop. */
    private static boolean isOurServer(ProcessHandle process) {
        return process.info().command()
                .map(command -> command.endsWith("/postgres") || command.contains("redis-server"))
                .orElse(false);
    }

    private long pidFrom(String pidFile) throws IOException {
        List<String> lines = Files.readAllLines(dataDirectory.resolve(pidFile), StandardCharsets.US_ASCII);
        return Long.parseLong(lines.get(0).trim());
    }

    /**
     * Alive and not a zombie: an orphan's new parent (PID 1 of a container, say) may never reap it,
     * and {@link ProcessHandle#isAlive()} counts a zombie as alive.
     */
    private static boolean isAlive(long pid) {
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
                return !stat.substring(stat.lastIndexOf(')') + 1).trim().startsWith("Z");
            } catch (IOException e) {
                // No /proc (macOS), or the process exited meanwhile: ask once more without the zombie check.
                return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            }
        }
        return false;
    }

    private static Connection connect(String jdbcUrl) throws SQLException {
        return DriverManager.getConnection(jdbcUrl, "postgres", "postgres");
    }

    /** The addresses a runtime prints on its ready line. */
    private record ChildAddresses(String bootstrapServers, String jdbcUrl, String redisUri) {

        static ChildAddresses parse(String readyLine) {
            String[] parts = readyLine.split(" ");
            return new ChildAddresses(parts[1], parts[2], parts[3]);
        }
    }
}
