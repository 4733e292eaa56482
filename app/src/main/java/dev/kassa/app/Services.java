package dev.kassa.app;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.zaxxer.hikari.HikariDataSource;
import dev.kassa.api.ApiSettings;
import dev.kassa.api.KassaApi;
import dev.kassa.api.http.ManagementServer;
import dev.kassa.app.connector.CardConnector;
import dev.kassa.app.connector.ConnectorMetrics;
import dev.kassa.app.connector.ConnectorSettings;
import dev.kassa.app.state.StateServer;
import dev.kassa.app.state.TopologyQueries;
import dev.kassa.ledger.postgres.LedgerWriter;
import dev.kassa.ledger.postgres.Migrations;
import dev.kassa.ledger.postgres.PostgresSettings;
import dev.kassa.ledger.sink.LedgerSink;
import dev.kassa.ledger.sink.SinkMetrics;
import dev.kassa.ledger.sink.SinkSettings;
import dev.kassa.processor.CardProcessor;
import dev.kassa.topology.KassaStreams;
import dev.kassa.topology.StreamsSettings;
import dev.kassa.topology.TopologySettings;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Starts each of Kassa's three services from its own settings ({@link ApiServiceSettings},
 * {@link TopologyServiceSettings}, {@link SinkServiceSettings}), the one place the app turns them
 * into each module's own. {@code kassa dev} and the integration tests start all three in one process
 * ({@link Gateway}, from {@link GatewaySettings}); {@code kassa api|topology|sink} start one.
 */
public final class Services {

    private static final Set<String> WILDCARD_HOSTS = Set.of("", "0.0.0.0", "::", "[::]");

    private Services() {
    }

    /** Applies the schema migrations and creates the topics every service relies on. */
    public static void prepare(GatewaySettings settings) {
        prepare(settings.shared(), settings.postgres());
    }

    /** Creates the topics every service relies on and applies the schema migrations to {@code postgres}. */
    public static void prepare(SharedSettings shared, PostgresSettings postgres) {
        prepareTopics(shared);
        try (HikariDataSource pool = postgres.openPool()) {
            Migrations.apply(pool);
        }
    }

    /**
     * Prepares only the topics (the topology needs no database), and returns the partitions
     * {@code payments.commands} has, which an existing topic fixed.
     */
    public static int prepareTopics(SharedSettings shared) {
        return TopicProvisioner.ensureTopics(shared.kafkaBootstrap(), shared.kafkaClient(), shared.partitions(),
                shared.replicationFactor());
    }

    /**
     * A running topology, its management listener and, unless the settings ask for none, its state
     * endpoint. {@link #failure()} completes, with the reason, when the Kafka Streams client goes to
     * {@code PENDING_ERROR}, {@code ERROR} or shuts down without {@link #close()} having asked it to:
     * the process then does nothing useful and must exit so that a supervisor restarts it.
     */
    public record RunningTopology(KassaStreams streams, StateServer stateServer, String instance,
                                  ManagementServer management, CompletableFuture<String> failure,
                                  AtomicBoolean closing, KafkaStreamsMetrics streamsMetrics)
            implements AutoCloseable {

        /** The state endpoint's base URL, e.g. {@code http://127.0.0.1:8081}; empty when it serves none. */
        public Optional<String> stateUrl() {
            return stateServer == null ? Optional.empty() : Optional.of("http://" + instance);
        }

        /** Stops answering queries first, then the topology, then the management listener. */
        @Override
        public void close() {
            closing.set(true);
            try {
                if (stateServer != null) {
                    stateServer.close();
                }
            } finally {
                try {
                    streams.close();
                } finally {
                    try {
                        streamsMetrics.close();
                    } finally {
                        management.close();
                    }
                }
            }
        }

        @Override
        public String toString() {
            return "topology";
        }
    }

    /** {@link #startTopology(TopologyServiceSettings, TopologySettings)} with the production topology settings. */
    public static RunningTopology startTopology(TopologyServiceSettings settings) {
        return startTopology(settings, TopologySettings.defaults());
    }

    /**
     * Starts the state endpoint (unless {@link TopologyServiceSettings#statePort()} is none), then the
     * topology advertising that endpoint as its {@code application.server}: the server binds first so
     * that an ephemeral port is known before Kafka Streams must advertise it. Both operators' listeners
     * bind {@link SharedSettings#managementHost()}.
     *
     * @param topologySettings the topology's settings, whose ledger partitions, dedupe retention and
     *                         deposit limits are taken from {@code settings} and the topics (tests inject
     *                         faults here)
     */
    public static RunningTopology startTopology(TopologyServiceSettings settings, TopologySettings topologySettings) {
        SharedSettings shared = settings.shared();
        StateServer state = settings.adminToken()
                .map(token -> StateServer.start(shared.managementHost(), settings.statePort(), token))
                .orElse(null);
        KassaStreams topology = null;
        ManagementServer management = null;
        KafkaStreamsMetrics streamsMetrics = null;
        try {
            String instance = state == null ? null
                    : advertisedHost(settings.stateAdvertisedHost(), shared.managementHost()) + ":" + state.port();
            StreamsSettings streams = streamsSettings(settings, instance);
            // The partitions payments.commands has, which an existing data directory fixed: the ledger's
            // repartition topics must match them, whatever --partitions says now.
            int partitions = prepareTopics(shared);
            topology = KassaStreams.create(topologySettings.toBuilder().ledgerPartitions(partitions)
                            .dedupeRetention(settings.dedupeRetention())
                            .depositLimits(settings.depositLimits()).build(), streams);
            AtomicBoolean closing = new AtomicBoolean();
            CompletableFuture<String> failure = new CompletableFuture<>();
            topology.onStateChange((newState, oldState) -> {
                if (isDead(newState) && !closing.get()) {
                    failure.complete("the topology's Kafka Streams client went from " + oldState + " to " + newState);
                }
            });
            PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            streamsMetrics = bindTopologyMetrics(topology, metrics);
            management = topologyManagement(shared, topology, metrics);
            if (state != null) {
                state.serve(TopologyQueries.of(topology), instance);
            }
            topology.start();
            return new RunningTopology(topology, state, instance, management, failure, closing, streamsMetrics);
        } catch (RuntimeException e) {
            if (topology != null) {
                topology.close();
            }
            if (streamsMetrics != null) {
                streamsMetrics.close();
            }
            if (management != null) {
                management.close();
            }
            if (state != null) {
                state.close();
            }
            throw e;
        }
    }

    /** The topology's Kafka Streams settings, advertising {@code instance} (null for none). */
    static StreamsSettings streamsSettings(TopologyServiceSettings settings, String instance) {
        int replication = settings.shared().replicationFactor();
        return StreamsSettings.builder()
                .bootstrapServers(settings.shared().kafkaBootstrap())
                .stateDir(settings.stateDirectory())
                .replication(replication, Math.max(1, replication - 1))
                .groupInstanceId(settings.instanceId())
                .applicationServer(instance)
                .streamThreads(settings.streamThreads())
                .kafkaClient(settings.shared().kafkaClient())
                .build();
    }

    /** Kafka Streams' own client metrics, and {@code kassa_topology_state{state}}: 1 for the current state. */
    private static KafkaStreamsMetrics bindTopologyMetrics(KassaStreams topology, PrometheusMeterRegistry metrics) {
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(topology.client());
        streamsMetrics.bindTo(metrics);
        for (KafkaStreams.State each : KafkaStreams.State.values()) {
            Gauge.builder("kassa.topology.state", topology, t -> t.state() == each ? 1 : 0)
                    .tag("state", each.name()).description("1 for the Kafka Streams client's current state")
                    .register(metrics);
        }
        return streamsMetrics;
    }

    /** The topology's management listener: healthy unless failed or shut down, ready when RUNNING. */
    private static ManagementServer topologyManagement(SharedSettings settings, KassaStreams topology,
                                                       PrometheusMeterRegistry metrics) {
        return ManagementServer.builder("topology", settings.managementHost(), settings.managementPort(), metrics)
                .health(() -> topologyStatus(topology, !isDead(topology.state())))
                .readiness(() -> topologyStatus(topology, topology.state() == KafkaStreams.State.RUNNING))
                .start();
    }

    /** A client that will process nothing more: failed, or shut down (which only close() should cause). */
    private static boolean isDead(KafkaStreams.State state) {
        return state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
                || state == KafkaStreams.State.PENDING_SHUTDOWN || state == KafkaStreams.State.NOT_RUNNING;
    }

    private static ManagementServer.Status topologyStatus(KassaStreams topology, boolean ok) {
        return new ManagementServer.Status(ok, JsonNodeFactory.instance.objectNode()
                .put("status", ok ? "ok" : "unavailable").put("state", topology.state().name()));
    }

    /** A wildcard bind address cannot be connected to; the loopback stands in for it unless told otherwise. */
    private static String advertisedHost(String configured, String bindHost) {
        String host = configured != null && !configured.isBlank() ? configured.strip()
                : WILDCARD_HOSTS.contains(bindHost) ? "127.0.0.1" : bindHost;
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /**
     * A running ledger sink, the connection pool it owns and its management listener. {@link #failure()}
     * completes, with the reason, when the sink's thread ends without {@link #close()} having asked it
     * to: nothing then writes the ledger, and the process must exit so that a supervisor restarts it.
     */
    public record RunningSink(LedgerSink sink, HikariDataSource pool, Thread thread, ManagementServer management,
                              CompletableFuture<String> failure, AtomicBoolean closing) implements AutoCloseable {
        @Override
        public void close() {
            closing.set(true);
            try {
                sink.close();
            } finally {
                try {
                    pool.close();
                } finally {
                    management.close();
                }
            }
        }

        @Override
        public String toString() {
            return "ledger sink";
        }
    }

    public static RunningSink startSink(SinkServiceSettings settings) {
        return startSink(settings, LedgerWriter.CommitHook.NONE);
    }

    /**
     * Starts the sink on a thread of its own and its management listener on
     * {@link SharedSettings#managementPort()}.
     *
     * @param commitHook called before each batch commits: {@link LedgerWriter.CommitHook#NONE} but in
     *                   tests that inject faults
     */
    public static RunningSink startSink(SinkServiceSettings settings, LedgerWriter.CommitHook commitHook) {
        HikariDataSource pool = settings.postgres().openPool();
        try {
            SinkSettings sinkSettings = sinkSettings(settings);
            PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            LedgerSink sink = new LedgerSink(sinkSettings, pool, new SinkMetrics(metrics), commitHook);
            AtomicBoolean closing = new AtomicBoolean();
            CompletableFuture<String> failure = new CompletableFuture<>();
            Thread thread = new Thread(() -> {
                try {
                    sink.run();
                } catch (RuntimeException | Error e) {
                    failure.complete("the ledger sink's thread died: " + e);
                    throw e;
                } finally {
                    if (!closing.get()) {
                        failure.complete("the ledger sink's thread ended");
                    }
                }
            }, "ledger-sink");
            Gauge.builder("kassa.sink.healthy", sink, s -> s.isHealthy() && thread.isAlive() ? 1 : 0)
                    .description("1 while the sink writes or retries within its failure budget").register(metrics);
            ManagementServer management = ManagementServer.builder("sink", settings.shared().managementHost(),
                            settings.shared().managementPort(), metrics)
                    .health(() -> okStatus(sink.isHealthy() && thread.isAlive()))
                    .readiness(() -> okStatus(sink.isReady()))
                    .start();
            thread.start();
            return new RunningSink(sink, pool, thread, management, failure, closing);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /**
     * A running card connector and its management listener. {@link #failure()} completes, with the
     * reason, when the connector stopped without {@link #close()} having asked it to: no charge is then
     * made, and the process must exit so that a supervisor restarts it.
     */
    public record RunningConnector(CardConnector connector, ManagementServer management) implements AutoCloseable {
        public CompletableFuture<String> failure() {
            return connector.failure();
        }

        @Override
        public void close() {
            try {
                connector.close();
            } finally {
                management.close();
            }
        }

        @Override
        public String toString() {
            return connector.toString();
        }
    }

    /**
     * Starts the card connector on its own threads and its management listener on
     * {@code managementHost:managementPort}: {@code /health} while its thread works, {@code /ready} once it
     * reads requests, {@code /metrics} with {@link ConnectorMetrics}.
     *
     * @param hooks {@link CardConnector.Hooks#NONE} but in tests that inject faults
     */
    public static RunningConnector startConnector(ConnectorSettings settings, CardProcessor processor,
                                                  CardConnector.Hooks hooks, String managementHost, int managementPort) {
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CardConnector connector = CardConnector.start(settings, processor, hooks, new ConnectorMetrics(metrics));
        try {
            Gauge.builder("kassa.connector.healthy", connector, c -> c.isHealthy() ? 1 : 0)
                    .description("1 while the connector's thread works").register(metrics);
            ManagementServer management = ManagementServer.builder("connector", managementHost, managementPort, metrics)
                    .health(() -> okStatus(connector.isHealthy()))
                    .readiness(() -> okStatus(connector.isReady()))
                    .start();
            return new RunningConnector(connector, management);
        } catch (RuntimeException e) {
            connector.close();
            throw e;
        }
    }

    private static ManagementServer.Status okStatus(boolean ok) {
        return new ManagementServer.Status(ok, JsonNodeFactory.instance.objectNode().put("status", ok ? "ok" : "unavailable"));
    }

    /** The ledger sink's settings. */
    static SinkSettings sinkSettings(SinkServiceSettings settings) {
        return SinkSettings.builder()
                .bootstrapServers(settings.shared().kafkaBootstrap())
                .groupInstanceId(settings.instanceId())
                .keyRetention(settings.keyRetention())
                .kafkaClient(settings.shared().kafkaClient())
                .build();
    }

    /** The API, checking card payments against what the card processor takes ({@link ApiServiceSettings#cards()}). */
    public static KassaApi startApi(ApiServiceSettings settings) {
        return new KassaApi(apiSettings(settings)).start();
    }

    /** The API's settings. */
    static ApiSettings apiSettings(ApiServiceSettings settings) {
        SharedSettings shared = settings.shared();
        PostgresSettings postgres = settings.postgres();
        return ApiSettings.builder()
                .host(settings.host())
                .port(settings.port())
                .managementHost(shared.managementHost())
                .managementPort(shared.managementPort())
                .adminToken(settings.adminToken())
                .outcomeWait(settings.outcomeWait())
                .kafkaBootstrap(shared.kafkaBootstrap())
                .kafkaClient(shared.kafkaClient())
                .jdbc(postgres.jdbcUrl(), postgres.username(), postgres.password())
                .redisUri(settings.redisUri())
                .idempotencyTtl(settings.idempotencyTtl())
                .idempotencyBuckets(settings.idempotencyBuckets())
                .rateLimits(settings.rateLimits())
                .cardCapabilities(settings.cards())
                .build();
    }

    /** The ledger's Postgres settings: the JDBC URL as given, so its {@code sslmode} and the like reach pgjdbc. */
    static PostgresSettings postgres(Connections connections) {
        return PostgresSettings.of(connections.jdbcUrl(), connections.jdbcUser(), connections.jdbcPassword());
    }
}
