package dev.kassa.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker in KRaft combined mode (broker and controller, node 1), running in
 * this JVM with its logs in {@code <dataDirectory>/kafka}.
 *
 * <p>On the first start the log directory is formatted with Kafka's own storage tool under a cluster
 * id that is remembered beside it; later starts, also after {@code kill -9} of the JVM, reuse the
 * formatted directory and let Kafka recover its logs. Every listener binds 127.0.0.1 only.
 *
 * <p>Optionally a third listener, {@code RELAYED}, serves clients through a relay (a TCP proxy such as
 * the bench's delay proxy): it advertises the relay's port instead of its own. Clients learn brokers'
 * addresses from metadata, answered per listener, so clients bootstrapped at the relay are sent back
 * to the relay for every later connection, while the broker itself and every client of the
 * {@code PLAINTEXT} listener stay direct.
 */
public final class EmbeddedKafka implements AutoCloseable {

    static final String DIRECTORY_NAME = "kafka";

    private static final int NODE_ID = 1;
    /** Bounds the wait for the started broker to answer a metadata request. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    /**
     * Fewer partitions than Kafka's 50 for the two internal topics: one broker gains nothing from 50,
     * and creating 100 partitions on the first transaction or group join costs seconds.
     */
    private static final int INTERNAL_TOPIC_PARTITIONS = 10;
    /**
     * After {@code kill -9} the controller keeps the dead broker's registration until its session
     * expires, and the restarted broker cannot register before that: Kafka's 9 s default made every
     * crash restart take 13 s. Five seconds still tolerates long GC pauses of the in-process broker.
     */
    private static final int BROKER_SESSION_TIMEOUT_MS = 5_000;
    private static final int BROKER_HEARTBEAT_INTERVAL_MS = 1_000;
    /** How often the broker asks the coordinator again whether the previous transaction has completed. */
    static final int ADD_PARTITIONS_RETRY_BACKOFF_MS = 1;
    /**
     * How long the broker holds a transaction's first write to a partition while the previous
     * transaction's markers are written, before it answers CONCURRENT_TRANSACTIONS. It must outlast
     * those markers even on a busy machine. The 5 ms this once was ran out again and again under load
     * (some 1,200 WARN lines in a 20 s bench run), each time sending the write back to the client: a
     * WARN per partition, a client retry with a whole new produce request and, when a later batch of
     * the same partition got in first, an OutOfOrderSequenceException that the client retries but the
     * broker logs at ERROR (KAFKA-18202). The wait ends as soon as the markers are written; the broker's
     * {@code request.timeout.ms} (30 s) caps it anyway.
     */
    static final int ADD_PARTITIONS_RETRY_MAX_MS = 500;

    private final Path kafkaDirectory;
    private final int port;
    private final int controllerPort;
    private final RelayedListener relayedListener;
    private final SaslPlainListener saslListener;
    private KafkaRaftServer server;
    private String clusterId;

    /**
     * @param dataDirectory  the runtime's data directory; Kafka keeps its files in its {@code kafka} child
     * @param port           the PLAINTEXT (client) listener port, 1 to 65535
     * @param controllerPort the CONTROLLER listener port, 1 to 65535, different from {@code port}
     */
    public EmbeddedKafka(Path dataDirectory, int port, int controllerPort) {
        this(dataDirectory, port, controllerPort, null);
    }

    /**
     * @param relayedListener the RELAYED listener and the relay port it advertises, or null for none;
     *                        its port differs from {@code port} and {@code controllerPort}
     */
    public EmbeddedKafka(Path dataDirectory, int port, int controllerPort, RelayedListener relayedListener) {
        this(dataDirectory, port, controllerPort, relayedListener, null);
    }

    /**
     * @param saslListener a SASL_PLAINTEXT listener with one PLAIN user, or null for none; its port
     *                     differs from the other listeners'
     */
    public EmbeddedKafka(Path dataDirectory, int port, int controllerPort, RelayedListener relayedListener,
                         SaslPlainListener saslListener) {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        requirePort("kafka port", port);
        requirePort("kafka controller port", controllerPort);
        if (port == controllerPort) {
            throw new IllegalArgumentException("kafka port and controller port must differ, both were " + port);
        }
        this.kafkaDirectory = dataDirectory.toAbsolutePath().resolve(DIRECTORY_NAME);
        if (relayedListener != null && (relayedListener.port() == port || relayedListener.port() == controllerPort)) {
            throw new IllegalArgumentException("the relayed listener's port must differ from the kafka ports, was "
                    + relayedListener.port());
        }
        if (saslListener != null && (saslListener.port() == port || saslListener.port() == controllerPort
                || relayedListener != null && saslListener.port() == relayedListener.port())) {
            throw new IllegalArgumentException("the SASL listener's port must differ from the other listeners', was "
                    + saslListener.port());
        }
        this.port = port;
        this.controllerPort = controllerPort;
        this.relayedListener = relayedListener;
        this.saslListener = saslListener;
    }

    /**
     * A client listener, {@code SASL}, that only clients authenticated with SASL PLAIN as its one user
     * may use (SASL_PLAINTEXT): how a test shows that a client's security settings reach the broker.
     *
     * @param port     the port it binds and advertises, 1 to 65535
     * @param username the one user it knows
     * @param password that user's password
     */
    public record SaslPlainListener(int port, String username, String password) {

        public SaslPlainListener {
            requirePort("SASL listener port", port);
            if (username == null || !username.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException("the SASL user must be letters, digits, _ or -: " + username);
            }
            if (password == null || password.isEmpty() || password.contains("\"") || password.contains("\\")) {
                throw new IllegalArgumentException("the SASL password must be non-empty, without quotes or backslashes");
            }
        }

        /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
        public String bootstrapServers() {
            return Loopback.HOST + ":" + port;
        }

        @Override
        public String toString() {
            return "SaslPlainListener[port=" + port + ", username=" + username + ", password=<redacted>]";
        }
    }

    /**
     * A client listener that a relay forwards to.
     *
     * @param port      the port the listener binds, which the relay connects to, 1 to 65535
     * @param relayPort the relay's port, which the listener advertises, 1 to 65535
     */
    public record RelayedListener(int port, int relayPort) {

        public RelayedListener {
            requirePort("relayed listener port", port);
            requirePort("relay port", relayPort);
        }

        /** Where the relay forwards to: {@code 127.0.0.1:<port>}. */
        public InetSocketAddress address() {
            return new InetSocketAddress(Loopback.address(), port);
        }

        /** {@code 127.0.0.1:<relayPort>}, for {@code bootstrap.servers} of the clients meant to pass the relay. */
        public String bootstrapServers() {
            return Loopback.HOST + ":" + relayPort;
        }
    }

    /** Formats the log directory if needed, starts the broker and returns once it serves clients. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        Properties settings = settings();
        Path settingsFile = writeSettings(settings);
        clusterId = readOrCreateClusterId(kafkaDirectory.resolve("cluster.id"));
        formatIfNeeded(settingsFile);
        KafkaRaftServer started = new KafkaRaftServer(KafkaConfig.fromProps(settings, false), Time.SYSTEM);
        try {
            started.startup();
            awaitServing();
        } catch (RuntimeException e) {
            EmbeddedRuntimeException failure = new EmbeddedRuntimeException("Kafka did not start on "
                    + bootstrapServers() + " with logs in " + kafkaDirectory, e);
            try {
                shutdown(started);
            } catch (RuntimeException shutdownFailure) {
                failure.addSuppressed(shutdownFailure);
            }
            throw failure;
        }
        server = started;
    }

    /** Shuts the broker down cleanly, flushing its logs; does nothing if stopped. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        KafkaRaftServer running = server;
        server = null;
        shutdown(running);
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return Loopback.HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    /** The {@code RELAYED} listener, when this broker has one. */
    public Optional<RelayedListener> relayedListener() {
        return Optional.ofNullable(relayedListener);
    }

    /** The cluster id this data directory was formatted with, stable across restarts; known once started. */
    public synchronized String clusterId() {
        if (clusterId == null) {
            throw new IllegalStateException("Kafka in " + kafkaDirectory + " has not been started yet");
        }
        return clusterId;
    }

    /** Where the broker keeps its settings, cluster id and (in {@code logs}) its log directory. */
    public Path kafkaDirectory() {
        return kafkaDirectory;
    }

    private Path logDirectory() {
        return kafkaDirectory.resolve("logs");
    }

    /** The broker's whole configuration; every replication setting is explicit because one node has no peers. */
    Properties settings() {
        String controller = "CONTROLLER://" + Loopback.HOST + ":" + controllerPort;
        String plaintext = "PLAINTEXT://" + Loopback.HOST + ":" + port;
        String listeners = plaintext + "," + controller;
        String advertisedListeners = plaintext;
        String protocols = "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT";
        if (relayedListener != null) {
            listeners += ",RELAYED://" + Loopback.HOST + ":" + relayedListener.port();
            advertisedListeners += ",RELAYED://" + relayedListener.bootstrapServers();
            protocols += ",RELAYED:PLAINTEXT";
        }
        if (saslListener != null) {
            listeners += ",SASL://" + saslListener.bootstrapServers();
            advertisedListeners += ",SASL://" + saslListener.bootstrapServers();
            protocols += ",SASL:SASL_PLAINTEXT";
        }
        Properties settings = new Properties();
        settings.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", Integer.toString(NODE_ID)),
                Map.entry("controller.quorum.voters", NODE_ID + "@" + Loopback.HOST + ":" + controllerPort),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("listeners", listeners),
                Map.entry("advertised.listeners", advertisedListeners),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("listener.security.protocol.map", protocols),
                Map.entry("log.dirs", logDirectory().toString()),
                Map.entry("broker.session.timeout.ms", Integer.toString(BROKER_SESSION_TIMEOUT_MS)),
                Map.entry("broker.heartbeat.interval.ms", Integer.toString(BROKER_HEARTBEAT_INTERVAL_MS)),
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", Integer.toString(INTERNAL_TOPIC_PARTITIONS)),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("transaction.state.log.num.partitions", Integer.toString(INTERNAL_TOPIC_PARTITIONS)),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                Map.entry("auto.create.topics.enable", "false"),
                // Kafka's default 128 MB dedupe buffer is most of an idle broker's heap.
                Map.entry("log.cleaner.dedupe.buffer.size", "8388608"),
                Map.entry("num.partitions", "1"),
                Map.entry("default.replication.factor", "1"),
                Map.entry("min.insync.replicas", "1"),
                // Transactions v2 (KIP-890): a transaction's first write to a partition adds that
                // partition on the broker, which the coordinator refuses with CONCURRENT_TRANSACTIONS
                // while the previous transaction's markers are still being written. The broker retries
                // that itself (KAFKA-18654) every ADD_PARTITIONS_RETRY_BACKOFF_MS, not Kafka's 20 ms (a
                // whole commit interval of the topology), for up to ADD_PARTITIONS_RETRY_MAX_MS.
                Map.entry("add.partitions.to.txn.retry.backoff.ms",
                        Integer.toString(ADD_PARTITIONS_RETRY_BACKOFF_MS)),
                Map.entry("add.partitions.to.txn.retry.backoff.max.ms",
                        Integer.toString(ADD_PARTITIONS_RETRY_MAX_MS))));
        if (saslListener != null) {
            settings.put("sasl.enabled.mechanisms", "PLAIN");
            settings.put("listener.name.sasl.plain.sasl.jaas.config",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required user_"
                            + saslListener.username() + "=\"" + saslListener.password() + "\";");
        }
        return settings;
    }

    private Path writeSettings(Properties settings) {
        Path file = kafkaDirectory.resolve("server.properties");
        try {
            Files.createDirectories(logDirectory());
            try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                settings.store(writer, "Written by the Kassa embedded runtime on every start; edits are overwritten");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write Kafka settings " + file, e);
        }
    }

    /**
     * Formats only a directory without {@code meta.properties}: formatting again would wipe the
     * cluster's metadata. The cluster id is written before formatting, so a crash between the two
     * formats with the same id next time.
     */
    private void formatIfNeeded(Path settingsFile) {
        if (Files.exists(logDirectory().resolve("meta.properties"))) {
            return;
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exitCode;
        try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exitCode = StorageTool.execute(
                    new String[] {"format", "--cluster-id", clusterId, "--config", settingsFile.toString()},
                    printStream);
        } catch (RuntimeException e) {
            throw new EmbeddedRuntimeException("Kafka storage format of " + logDirectory() + " failed: " + output, e);
        }
        if (exitCode != 0) {
            throw new EmbeddedRuntimeException("Kafka storage format of " + logDirectory() + " exited with "
                    + exitCode + ": " + output.toString(StandardCharsets.UTF_8));
        }
    }

    private static String readOrCreateClusterId(Path file) {
        try {
            if (Files.exists(file)) {
                return Uuid.fromString(Files.readString(file, StandardCharsets.US_ASCII).trim()).toString();
            }
            String created = Uuid.randomUuid().toString();
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(temporary, created + "\n", StandardCharsets.US_ASCII);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the Kafka cluster id in " + file, e);
        }
    }

    /** The broker serves once a client can describe the cluster through the PLAINTEXT listener. */
    private void awaitServing() {
        Properties adminSettings = new Properties();
        adminSettings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        adminSettings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) READY_TIMEOUT.toMillis());
        try (Admin admin = Admin.create(adminSettings)) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) READY_TIMEOUT.toMillis()))
                    .nodes()
                    .get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new EmbeddedRuntimeException("Kafka at " + bootstrapServers() + " did not answer within "
                    + READY_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedRuntimeException("interrupted while waiting for Kafka at " + bootstrapServers(), e);
        }
    }

    private static void shutdown(KafkaRaftServer server) {
        server.shutdown();
        server.awaitShutdown();
    }

    private static void requirePort(String name, int port) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException(name + " must be between 1 and 65535, was " + port);
        }
    }
}
