package dev.kassa.app.crash;

import dev.kassa.runtime.EmbeddedPostgresServer;
import dev.kassa.runtime.EmbeddedRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The topology and the ledger sink, each {@code kassa topology} / {@code kassa sink} in a JVM of its own
 * against the test's runtime, started, killed with SIGKILL and restarted with the same arguments (same
 * state directory, same static member id) as an operator's supervisor would. Also runs
 * {@code kassa ledger verify} as a process.
 */
final class KassaServices implements AutoCloseable {

    /**
     * Small heaps, the serial collector and the client compiler only: two cores are shared by the
     * broker, Postgres and several JVMs, and a service restarted every few seconds spends its short
     * life starting, where C2 and parallel GC threads would only compete for the cores.
     */
    static final List<String> JVM_OPTIONS = List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    static final int PARTITIONS = 3;

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
    private static final String TOPOLOGY_STARTED = "kassa topology running";
    private static final String SINK_STARTED = "kassa sink running";
    private static final String CONNECTOR_STARTED = "kassa connector running";
    private static final String VERIFIED = "ledger verified: every invariant holds";
    /** What the sink logs when a batch or a seek failed and it rolls back to the offsets in Postgres. */
    private static final String SINK_FAILED = "seeking again from Postgres";

    private final EmbeddedRuntime runtime;
    private final Path directory;
    private final String context;
    private KassaProcess topology;
    private KassaProcess sink;
    private KassaProcess connector;
    private List<String> connectorArguments;
    private KassaProcess processorSim;
    private List<String> processorSimArguments;
    private int processorSimStarts;
    private int topologyStarts;
    private int sinkStarts;
    private int connectorStarts;

    /** {@code context} starts every failure message, e.g. how to replay the run. */
    KassaServices(EmbeddedRuntime runtime, Path directory, String context) {
        this.runtime = runtime;
        this.directory = directory;
        this.context = context;
    }

    /**
     * Starts both services side by side; returns once the topology has created the topics and started
     * its streams, and the sink has migrated the schema and started its consumer.
     */
    void startBoth() {
        launchTopology();
        launchSink();
        awaitLine(topology, TOPOLOGY_STARTED);
        awaitLine(sink, SINK_STARTED);
    }

    private void startTopology() {
        launchTopology();
        awaitLine(topology, TOPOLOGY_STARTED);
    }

    private void startSink() {
        launchSink();
        awaitLine(sink, SINK_STARTED);
    }

    private void awaitLine(KassaProcess process, String line) {
        try {
            process.awaitLine(line, START_TIMEOUT);
        } catch (AssertionError e) {
            throw new AssertionError(context + " " + e.getMessage(), e);
        }
    }

    private void launchTopology() {
        topology = KassaProcess.start("kassa-topology-" + ++topologyStarts, JVM_OPTIONS, topologyArguments());
    }

    private void launchSink() {
        sink = KassaProcess.start("kassa-sink-" + ++sinkStarts, JVM_OPTIONS, sinkArguments())
                .count(SINK_FAILED);
    }

    /** kill -9 of the topology, then the same command again. */
    void killAndRestartTopology() throws InterruptedException {
        killAndRestart("topology", topology, () -> {
            startTopology();
            return topology;
        });
    }

    /** kill -9 of the sink, then the same command again. */
    void killAndRestartSink() throws InterruptedException {
        killAndRestart("sink", sink, () -> {
            startSink();
            return sink;
        });
    }

    /** kill -9 of {@code process}, then {@code restart}, which starts it again and returns the new process. */
    private void killAndRestart(String role, KassaProcess process, java.util.function.Supplier<KassaProcess> restart)
            throws InterruptedException {
        requireAlive(process);
        long killedNanos = System.nanoTime();
        long pid = process.pid();
        process.killAndAwaitExit(EXIT_TIMEOUT);
        KassaProcess restarted = restart.get();
        System.out.printf("[crash] kill -9 of %s (pid %d); %s started again in %d ms%n", role, pid, restarted.name(),
                (System.nanoTime() - killedNanos) / 1_000_000);
    }

    /**
     * Starts {@code kassa connector} against the card processor at {@code processorUrl}, retrying unknown
     * outcomes after {@code retryBackoffMin} (and up to four times that); returns once it runs.
     */
    void startConnector(String processorUrl, String processorApiKey, Duration retryBackoffMin) {
        connectorArguments = List.of("connector",
                "--kafka-bootstrap", runtime.bootstrapServers(),
                "--processor-url", processorUrl,
                "--processor-api-key", processorApiKey,
                "--connector-concurrency", "4",
                "--connector-retry-backoff-min", retryBackoffMin.toMillis() + "ms",
                "--connector-retry-backoff-max", retryBackoffMin.multipliedBy(4).toMillis() + "ms",
                "--instance-id", "crash-harness-connector",
                // Beside the other services: a free management port.
                "--management-port", "0");
        launchConnector();
    }

    private void launchConnector() {
        connector = KassaProcess.start("kassa-connector-" + ++connectorStarts, JVM_OPTIONS, connectorArguments);
        awaitLine(connector, CONNECTOR_STARTED);
    }

    /** kill -9 of the card connector, then the same command again. */
    void killAndRestartConnector() throws InterruptedException {
        killAndRestart("connector", connector, () -> {
            launchConnector();
            return connector;
        });
    }

    /**
     * Starts {@code kassa processor-sim} on {@code port} with its journal in {@code dataDirectory} and
     * {@code faultFlags} (e.g. {@code --error-rate 0.1}); returns once it answers.
     */
    void startProcessorSim(int port, String apiKey, String adminToken, Path dataDirectory, List<String> faultFlags) {
        List<String> arguments = new java.util.ArrayList<>(List.of("processor-sim", "--port", Integer.toString(port),
                "--api-key", apiKey, "--admin-token", adminToken, "--data-dir", dataDirectory.toString()));
        arguments.addAll(faultFlags);
        processorSimArguments = List.copyOf(arguments);
        launchProcessorSim();
    }

    private void launchProcessorSim() {
        processorSim = KassaProcess.start("kassa-processor-sim-" + ++processorSimStarts, JVM_OPTIONS, processorSimArguments);
        awaitLine(processorSim, "READY ");
    }

    /** kill -9 of the processor sandbox, then the same command again: same port, same journal. */
    void killAndRestartProcessorSim() throws InterruptedException {
        killAndRestart("processor-sim", processorSim, () -> {
            launchProcessorSim();
            return processorSim;
        });
    }

    int processorSimStarts() {
        return processorSimStarts;
    }

    int connectorStarts() {
        return connectorStarts;
    }

    /** Both services still run: neither gave up on an error of its own. */
    void requireBothAlive() {
        requireAlive(topology);
        requireAlive(sink);
    }

    /** Runs {@code kassa ledger verify} against the runtime's database; its exit code and output. */
    Verification verifyLedger() throws InterruptedException {
        KassaProcess verify = KassaProcess.start("kassa-ledger-verify", "256m", List.of("ledger", "verify",
                "--jdbc-url", runtime.jdbcUrl(), "--jdbc-user", EmbeddedPostgresServer.USER,
                "--jdbc-password", EmbeddedPostgresServer.PASSWORD));
        if (!verify.awaitExit(START_TIMEOUT)) {
            verify.kill();
            throw new AssertionError(context + " kassa ledger verify did not finish within " + START_TIMEOUT + ":\n"
                    + verify.tailText());
        }
        return new Verification(verify.exitValue(), verify.tailText());
    }

    /** The exit code and output of one {@code kassa ledger verify}. */
    record Verification(int exitCode, String output) {

        boolean passed() {
            return exitCode == 0 && output.contains(VERIFIED);
        }
    }

    /** Batches and seeks the running sink has failed (and rolled back) since it started. */
    long sinkFailures() {
        return sink.occurrences(SINK_FAILED);
    }

    int topologyStarts() {
        return topologyStarts;
    }

    int sinkStarts() {
        return sinkStarts;
    }

    /** The last lines of the running processes, for the test log. */
    String tails() {
        StringBuilder text = new StringBuilder();
        for (KassaProcess process : new KassaProcess[] {topology, sink, connector, processorSim}) {
            if (process != null) {
                String tail = process.tailText();
                String[] lines = tail.split("\n");
                int from = Math.max(0, lines.length - 40);
                text.append("---- last lines of ").append(process.name()).append(" ----\n")
                        .append(String.join("\n", List.of(lines).subList(from, lines.length))).append('\n');
            }
        }
        return text.toString();
    }

    @Override
    public void close() throws InterruptedException {
        for (KassaProcess process : new KassaProcess[] {connector, processorSim, sink, topology}) {
            if (process != null && process.isAlive()) {
                process.killAndAwaitExit(EXIT_TIMEOUT);
            }
        }
    }

    /** The topology's flags, and no others: it reads no database and, without a state endpoint, needs no admin token. */
    private List<String> topologyArguments() {
        return List.of("topology",
                "--kafka-bootstrap", runtime.bootstrapServers(),
                "--partitions", Integer.toString(PARTITIONS),
                "--state-dir", directory.resolve("topology-state").toString(),
                "--instance-id", "crash-harness",
                "--state-port", "-1",
                // Both services run on this machine: each takes a free management port.
                "--management-port", "0");
    }

    /** The sink's flags, and no others: it takes no admin token and no state directory. */
    private List<String> sinkArguments() {
        return List.of("sink",
                "--kafka-bootstrap", runtime.bootstrapServers(),
                "--jdbc-url", runtime.jdbcUrl(),
                "--jdbc-user", EmbeddedPostgresServer.USER,
                "--jdbc-password", EmbeddedPostgresServer.PASSWORD,
                "--partitions", Integer.toString(PARTITIONS),
                "--instance-id", "crash-harness",
                "--management-port", "0");
    }

    private void requireAlive(KassaProcess process) {
        if (!process.isAlive()) {
            throw new AssertionError(context + " " + process.name() + " exited on its own (code " + process.exitValue()
                    + "); its last lines:\n" + process.tailText());
        }
    }
}
