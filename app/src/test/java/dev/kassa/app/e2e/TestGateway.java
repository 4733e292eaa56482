package dev.kassa.app.e2e;

import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.kassa.app.Connections;
import dev.kassa.app.Gateway;
import dev.kassa.app.GatewaySettings;
import dev.kassa.app.KeyRetention;
import dev.kassa.app.runtime.EmbeddedRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
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
public final class TestGateway {

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
    private final String adminToken;
    private final HikariDataSource dataSource;
    private final String kafkaBootstrap;
    private final ApiClient api;
    private final LedgerSql ledger;

    private TestGateway(Gateway gateway, String adminToken, HikariDataSource dataSource, String kafkaBootstrap) {
        this.gateway = gateway;
        this.adminToken = adminToken;
        this.dataSource = dataSource;
        this.kafkaBootstrap = kafkaBootstrap;
        this.api = new ApiClient(gateway.apiUrl(), adminToken);
        this.ledger = new LedgerSql(dataSource);
    }

    /** Starts the gateway on {@code runtime} and returns once a merchant can be created end to end. */
    static TestGateway start(EmbeddedRuntime runtime) {
        long startNanos = System.nanoTime();
        Connections connections = new Connections(runtime.bootstrapServers(), createDatabase(runtime, DATABASE),
                runtime.postgres().user(), runtime.postgres().password(), runtime.redisUri());
        String adminToken = "e2e-admin-" + UUID.randomUUID();
        GatewaySettings settings = new GatewaySettings(connections, PARTITIONS, (short) 1, "127.0.0.1",
                0 /* an ephemeral port */, adminToken, OUTCOME_WAIT, streamsStateDirectory(runtime),
                null /* dynamic group membership */, KeyRetention.DEFAULTS, GatewaySettings.STATE_PORT_NONE);
        Gateway gateway = Gateway.start(settings);
        runtime.closeFirst(gateway);
        HikariDataSource dataSource = pool(connections);
        runtime.closeFirst(dataSource);
        TestGateway started = new TestGateway(gateway, adminToken, dataSource, runtime.bootstrapServers());
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

    /** The API's base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String baseUrl() {
        return gateway.apiUrl();
    }

    public String adminToken() {
        return adminToken;
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
