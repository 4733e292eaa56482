package dev.kassa.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.kassa.api.KassaApi;
import dev.kassa.app.Connections;
import dev.kassa.app.Gateway;
import dev.kassa.app.GatewaySettings;
import dev.kassa.app.IdempotencySettings;
import dev.kassa.app.Services;
import dev.kassa.app.TopicProvisioner;
import dev.kassa.app.TopologyServiceSettings;
import dev.kassa.runtime.EmbeddedRuntime;
import dev.kassa.testing.LedgerSql;
import dev.kassa.testing.SharedRuntime;
import dev.kassa.topology.treasury.DepositLimits;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway the end-to-end tests share, and how to reach it: the API's base URL and admin
 * token, an HTTP client for the API, a pool on its database on the runtime's Postgres
 * ({@value #DATABASE}) and Kafka's bootstrap address.
 * Not {@link AutoCloseable} on purpose: the runtime owns the gateway and the pool (through
 * {@link EmbeddedRuntime#closeFirst}), so nothing can close them twice or after the servers.
 */
public final class TestGateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TestGateway.class);

    private static final int PARTITIONS = 6;
    /** Generous, for a loaded CI machine: a 202 instead of a 201 would fail a test for nothing. */
    private static final Duration OUTCOME_WAIT = Duration.ofSeconds(5);
    /** How long the topology may take to join its group and restore, and the first round trip to succeed. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final int TEST_POOL_SIZE = 4;
    /**
     * The gateway's own database on the runtime's Postgres, rather than its default {@code kassa}:
     * other test classes share that one and may leave tables of their own in it, which would both
     * stop the schema migration (Flyway refuses a non-empty schema it has no history for) and mix
     * foreign rows into the ledger the invariant checks read.
     */
    static final String DATABASE = "kassa_e2e";

    private final Gateway gateway;
    private final String apiUrl;
    private final GatewaySettings settings;
    private final String adminToken;
    private final HikariDataSource dataSource;
    private final String kafkaBootstrap;
    private final ApiClient api;
    private final LedgerSql ledger;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final int commandPartitions;
    /** The topology started by {@link #restartTopologyWithoutLocalState()}, if any: it replaces the gateway's. */
    private Services.RunningTopology restartedTopology;
    /** The sink started by {@link #startSink()}, if any: it replaces the gateway's. */
    private Services.RunningSink restartedSink;
    /** API instances started by {@link #anotherApi(Duration)}, closed with the gateway. */
    private final List<KassaApi> otherApis = new ArrayList<>();

    private TestGateway(Gateway gateway, GatewaySettings settings, HikariDataSource dataSource, String kafkaBootstrap,
                        int commandPartitions) {
        this.commandPartitions = commandPartitions;
        this.gateway = gateway;
        this.apiUrl = gateway.apiUrl();
        this.settings = settings;
        this.adminToken = settings.adminToken();
        this.dataSource = dataSource;
        this.kafkaBootstrap = kafkaBootstrap;
        this.api = new ApiClient(gateway.apiUrl(), gateway.managementUrl(), adminToken);
        this.ledger = new LedgerSql(dataSource);
    }

    /**
     * The partition of every Kassa topic that a record keyed {@code key} lands on: Kafka's default
     * partitioner over the partitions {@code payments.commands} has (which another test class on the
     * same runtime may have created with another count), as the API publishes commands (keyed by the
     * account they are decided at) and as the topology's tasks and state stores are split.
     */
    int partitionOf(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % commandPartitions;
    }

    /** Starts the gateway on {@code runtime} and returns once a merchant can be created end to end. */
    static TestGateway start(EmbeddedRuntime runtime) {
        return start(runtime, DATABASE, IdempotencySettings.DEFAULTS);
    }

    /**
     * Starts a gateway with its own retention of idempotency keys on database {@code database} of
     * {@code runtime}. Only one gateway may run on a runtime at a time: a second topology would split
     * the partitions of the first. Close it before starting another.
     */
    static TestGateway start(EmbeddedRuntime runtime, String database, IdempotencySettings retention) {
        return start(runtime, database, retention, DepositLimits.DEFAULTS);
    }

    /** As {@link #start(EmbeddedRuntime, String, IdempotencySettings)}, with the topology's deposit limits {@code limits}. */
    static TestGateway start(EmbeddedRuntime runtime, String database, IdempotencySettings retention,
                             DepositLimits limits) {
        long startNanos = System.nanoTime();
        Connections connections = new Connections(runtime.bootstrapServers(), createDatabase(runtime, database),
                runtime.postgres().user(), runtime.postgres().password(), runtime.redisUri());
        String adminToken = "e2e-admin-" + UUID.randomUUID();
        // Ephemeral ports for the API, the state endpoint and the management listeners; dynamic membership.
        GatewaySettings settings = GatewaySettings.builder(connections, adminToken, streamsStateDirectory(runtime))
                .partitions(PARTITIONS).outcomeWait(OUTCOME_WAIT).idempotency(retention).depositLimits(limits).build();
        Gateway gateway = Gateway.start(settings);
        HikariDataSource dataSource = pool(connections);
        int commandPartitions = TopicProvisioner.ensureTopics(runtime.bootstrapServers(), PARTITIONS, (short) 1);
        TestGateway started = new TestGateway(gateway, settings, dataSource, runtime.bootstrapServers(),
                commandPartitions);
        runtime.closeFirst(started);
        started.awaitReady();
        LOG.info("end-to-end gateway ready at {} in {} ms", gateway.apiUrl(),
                (System.nanoTime() - startNanos) / 1_000_000);
        return started;
    }

    /**
     * Waits for the topology to be RUNNING, then for one merchant to be created with a confirmed
     * account (a full API → topology → API round trip), so no test sees the start-up as a 202.
     */
    private void awaitReady() {
        await("the topology to run").atMost(READY_TIMEOUT)
                .until(() -> gateway.topology().state() == KafkaStreams.State.RUNNING);
        await("a merchant created end to end").atMost(READY_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> api.createMerchant("e2e warm-up"));
    }

    /**
     * Stops the topology, deletes its local state (so its stores must be restored from their
     * changelogs) and starts it again, without a state endpoint; returns once it is RUNNING.
     */
    void restartTopologyWithoutLocalState() {
        stopTopology();
        deleteRecursively(settings.streamsStateDirectory());
        startTopology();
    }

    /**
     * Stops the topology and keeps its local state: commands wait on the broker, unanswered, until
     * {@link #startTopology()}.
     */
    private void stopTopology() {
        Services.RunningTopology previous = restartedTopology;
        restartedTopology = null;
        if (previous != null) {
            previous.close();
        } else {
            assertThat(gateway.topology().close(Duration.ofSeconds(30))).as("the topology stopped").isTrue();
        }
    }

    /** Starts the topology again after {@link #stopTopology()}, without a state endpoint; returns once it is RUNNING. */
    private void startTopology() {
        GatewaySettings withoutStateEndpoint = settings.toBuilder().statePort(TopologyServiceSettings.STATE_PORT_NONE).build();
        Services.RunningTopology started = Services.startTopology(withoutStateEndpoint.topology());
        restartedTopology = started;
        await("the restarted topology to run").atMost(READY_TIMEOUT)
                .until(() -> started.streams().state() == KafkaStreams.State.RUNNING);
    }

    /**
     * A client of a second API instance on the same Kafka, Postgres and Redis, which waits at most
     * {@code outcomeWait} for an outcome: with {@link Duration#ZERO} every payment it takes is first
     * answered {@code 202}, while the topology decides it as usual.
     */
    ApiClient anotherApi(Duration outcomeWait) {
        GatewaySettings second = settings.toBuilder().apiPort(0 /* an ephemeral port */).outcomeWait(outcomeWait)
                .statePort(TopologyServiceSettings.STATE_PORT_NONE).managementPort(0 /* an ephemeral port */).build();
        KassaApi started = Services.startApi(second.api());
        otherApis.add(started);
        return new ApiClient("http://127.0.0.1:" + started.port(), started.management().url(), adminToken);
    }

    /** Stops the ledger sink: Postgres gets nothing new until {@link #startSink()}. */
    void stopSink() {
        Services.RunningSink previous = restartedSink;
        restartedSink = null;
        (previous != null ? previous : gateway.sink()).close();
    }

    /** Starts the ledger sink again after {@link #stopSink()}; it goes on from its committed offsets. */
    void startSink() {
        restartedSink = Services.startSink(settings.sink());
    }

    /** FLUSHALL on the gateway's Redis: every idempotency record there is gone. */
    void flushRedis() {
        RedisClient client = RedisClient.create(settings.connections().redisUri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            assertThat(connection.sync().flushall()).isEqualTo("OK");
        } finally {
            client.shutdown();
        }
    }

    /**
     * Every value the gateway's Redis holds, as Latin-1 text (so any byte sequence searches as it is):
     * each string key's value and each hash field's value.
     */
    List<String> redisValues() {
        RedisClient client = RedisClient.create(settings.connections().redisUri());
        try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
            RedisCommands<byte[], byte[]> redis = connection.sync();
            List<String> values = new ArrayList<>();
            for (byte[] key : redis.keys("*")) {
                String type = redis.type(key);
                List<byte[]> held = switch (type) {
                    case "hash" -> redis.hvals(key);
                    case "string" -> List.of(redis.get(key));
                    default -> throw new AssertionError("the gateway's Redis holds a " + type + " at "
                            + new String(key, StandardCharsets.ISO_8859_1) + "; read it here too");
                };
                held.forEach(value -> values.add(new String(value, StandardCharsets.ISO_8859_1)));
            }
            return values;
        } finally {
            client.shutdown();
        }
    }

    /** Stops the gateway (and a restarted topology) and the tests' pool; safe to call more than once. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (restartedTopology != null) {
                restartedTopology.close();
            }
            if (restartedSink != null) {
                restartedSink.close();
            }
            otherApis.forEach(KassaApi::close);
            gateway.close();
        } finally {
            dataSource.close();
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }

    /** The API's base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String baseUrl() {
        return apiUrl;
    }

    public String adminToken() {
        return adminToken;
    }

    /** The API's management listener ({@code /admin}, {@code /health}, {@code /ready}, {@code /metrics}). */
    public String managementUrl() {
        return gateway.managementUrl();
    }

    /** The running topology's management listener: the restarted one's when a test restarted it. */
    public String topologyManagementUrl() {
        return restartedTopology != null ? restartedTopology.management().url() : gateway.topologyManagementUrl();
    }

    /** The running sink's management listener: the restarted one's when a test restarted it. */
    public String sinkManagementUrl() {
        return restartedSink != null ? restartedSink.management().url() : gateway.sinkManagementUrl();
    }

    /** The topology's state endpoint, e.g. {@code http://127.0.0.1:41235}. */
    public String stateUrl() {
        return gateway.stateUrl().orElseThrow();
    }

    /** A small pool on the runtime's Postgres, for the tests' own SQL and the ledger verifier. */
    public DataSource dataSource() {
        return dataSource;
    }

    public String kafkaBootstrap() {
        return kafkaBootstrap;
    }

    public ApiClient api() {
        return api;
    }

    public LedgerSql ledger() {
        return ledger;
    }

    private static Path streamsStateDirectory(EmbeddedRuntime runtime) {
        // Inside the runtime's data directory, which SharedRuntime deletes at the end of the run;
        // a name of its own, in case another test starts a topology on the same runtime.
        try {
            return Files.createTempDirectory(runtime.dataDirectory(), "e2e-streams-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the topology's state directory", e);
        }
    }

    /** Creates {@code name} on the runtime's Postgres unless it exists; returns its JDBC URL. */
    private static String createDatabase(EmbeddedRuntime runtime, String name) {
        try (Connection connection = DriverManager.getConnection(runtime.jdbcUrl(), runtime.postgres().user(),
                runtime.postgres().password());
             Statement statement = connection.createStatement()) {
            String exists = "SELECT 1 FROM pg_database WHERE datname = '" + name + "'";
            try (ResultSet existing = statement.executeQuery(exists)) {
                if (!existing.next()) {
                    statement.execute("CREATE DATABASE " + name);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the database " + name + " on " + runtime.jdbcUrl(), e);
        }
        String url = runtime.jdbcUrl();
        return url.substring(0, url.lastIndexOf('/') + 1) + name;
    }

    private static HikariDataSource pool(Connections connections) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("e2e-tests");
        config.setJdbcUrl(connections.jdbcUrl());
        config.setUsername(connections.jdbcUser());
        config.setPassword(connections.jdbcPassword());
        config.setMaximumPoolSize(TEST_POOL_SIZE);
        config.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
        return new HikariDataSource(config);
    }

    @Override
    public String toString() {
        return "TestGateway[" + baseUrl() + "]";
    }
}
