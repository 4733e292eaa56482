package dev.kassa.app;

import com.zaxxer.hikari.HikariDataSource;
import dev.kassa.api.ApiSettings;
import dev.kassa.api.KassaApi;
import dev.kassa.app.state.StateServer;
import dev.kassa.app.state.TopologyQueries;
import dev.kassa.ledger.postgres.Migrations;
import dev.kassa.ledger.postgres.PostgresSettings;
import dev.kassa.ledger.sink.LedgerSink;
import dev.kassa.ledger.sink.SinkSettings;
import dev.kassa.topology.KassaStreams;
import dev.kassa.topology.StreamsSettings;
import dev.kassa.topology.TopologySettings;
import java.util.Optional;
import java.util.Set;

/**
 * Starts each of Kassa's three services from {@link GatewaySettings}, the one place the app turns
 * its settings into each module's own. {@code kassa dev} and the integration tests start all three
 * in one process; {@code kassa api|topology|sink} start one.
 */
public final class Services {

    private static final Set<String> WILDCARD_HOSTS = Set.of("", "0.0.0.0", "::", "[::]");

    private Services() {
    }

    /** Applies the schema migrations and creates the topics every service relies on. */
    public static void prepare(GatewaySettings settings) {
        Connections connections = settings.connections();
        TopicProvisioner.ensureTopics(connections.kafkaBootstrap(), connections.kafkaClient(), settings.partitions(),
                settings.replicationFactor());
        try (HikariDataSource pool = postgres(connections).openPool()) {
            Migrations.apply(pool);
        }
    }

    /** Prepares only the topics: the topology needs no database. */
    public static void prepareTopics(GatewaySettings settings) {
        TopicProvisioner.ensureTopics(settings.connections().kafkaBootstrap(), settings.connections().kafkaClient(),
                settings.partitions(), settings.replicationFactor());
    }

    /** A running topology and, unless the settings ask for none, its state endpoint. */
    public record RunningTopology(KassaStreams streams, StateServer stateServer, String instance)
            implements AutoCloseable {

        /** The state endpoint's base URL, e.g. {@code http://127.0.0.1:8081}; empty when it serves none. */
        public Optional<String> stateUrl() {
            return stateServer == null ? Optional.empty() : Optional.of("http://" + instance);
        }

        /** Stops answering queries first, then the topology. */
        @Override
        public void close() {
            try {
                if (stateServer != null) {
                    stateServer.close();
                }
            } finally {
                streams.close();
            }
        }

        @Override
        public String toString() {
            return "topology";
        }
    }

    /** {@link #startTopology(GatewaySettings, String)}, advertising the state endpoint on a host derived from the settings. */
    public static RunningTopology startTopology(GatewaySettings settings) {
        return startTopology(settings, null);
    }

    /**
     * Starts the state endpoint (unless {@link GatewaySettings#statePort()} is none), then the topology
     * advertising that endpoint as its {@code application.server}: the server binds first so that an
     * ephemeral port is known before Kafka Streams must advertise it.
     *
     * @param stateAdvertisedHost the host other instances and operators reach the state endpoint on;
     *                            {@code null} for the API host, or {@code 127.0.0.1} when that is a
     *                            wildcard address
     */
    public static RunningTopology startTopology(GatewaySettings settings, String stateAdvertisedHost) {
        StateServer state = settings.statePort() == GatewaySettings.STATE_PORT_NONE ? null
                : StateServer.start(settings.apiHost(), settings.statePort(), settings.adminToken());
        KassaStreams topology = null;
        try {
            String instance = state == null ? null
                    : advertisedHost(stateAdvertisedHost, settings.apiHost()) + ":" + state.port();
            StreamsSettings streams = streamsSettings(settings, instance);
            // The partitions payments.commands has, which an existing data directory fixed: the ledger's
            // repartition topics must match them, whatever --partitions says now.
            int partitions = TopicProvisioner.ensureTopics(settings.connections().kafkaBootstrap(),
                    settings.connections().kafkaClient(), settings.partitions(), settings.replicationFactor());
            topology = KassaStreams.create(
                    TopologySettings.defaults().withLedgerPartitions(partitions)
                            .withDedupeRetention(settings.idempotency().dedupeRetention())
                            .withDepositLimits(settings.depositLimits()), streams);
            if (state != null) {
                state.serve(TopologyQueries.of(topology), instance);
            }
            topology.start();
            return new RunningTopology(topology, state, instance);
        } catch (RuntimeException e) {
            if (topology != null) {
                topology.close();
            }
            if (state != null) {
                state.close();
            }
            throw e;
        }
    }

    /** The topology's Kafka Streams settings, advertising {@code instance} (null for none). */
    static StreamsSettings streamsSettings(GatewaySettings settings, String instance) {
        int replication = settings.replicationFactor();
        return StreamsSettings
                .embedded(settings.connections().kafkaBootstrap(), settings.streamsStateDirectory())
                .withReplication(replication, Math.max(1, replication - 1))
                .withGroupInstanceId(memberId(settings, "topology"))
                .withApplicationServer(instance)
                .withStreamThreads(settings.streamThreads())
                .withKafkaClient(settings.connections().kafkaClient());
    }

    /** A wildcard bind address cannot be connected to; the loopback stands in for it unless told otherwise. */
    private static String advertisedHost(String configured, String bindHost) {
        String host = configured != null && !configured.isBlank() ? configured.strip()
                : WILDCARD_HOSTS.contains(bindHost) ? "127.0.0.1" : bindHost;
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** A running ledger sink and the connection pool it owns. */
    public record RunningSink(LedgerSink sink, HikariDataSource pool, Thread thread) implements AutoCloseable {
        @Override
        public void close() {
            try {
                sink.close();
            } finally {
                pool.close();
            }
        }

        @Override
        public String toString() {
            return "ledger sink";
        }
    }

    public static RunningSink startSink(GatewaySettings settings) {
        SinkSettings sinkSettings = sinkSettings(settings);
        HikariDataSource pool = postgres(settings.connections()).openPool();
        LedgerSink sink = new LedgerSink(sinkSettings, pool);
        Thread thread = new Thread(sink, "ledger-sink");
        thread.start();
        return new RunningSink(sink, pool, thread);
    }

    /** The ledger sink's settings. */
    static SinkSettings sinkSettings(GatewaySettings settings) {
        return SinkSettings.defaults(settings.connections().kafkaBootstrap())
                .withGroupInstanceId(memberId(settings, "sink"))
                .withKeyRetention(settings.idempotency().ledgerRetention())
                .withKafkaClient(settings.connections().kafkaClient());
    }

    public static KassaApi startApi(GatewaySettings settings) {
        return new KassaApi(apiSettings(settings)).start();
    }

    /** The API's settings. */
    static ApiSettings apiSettings(GatewaySettings settings) {
        Connections connections = settings.connections();
        return ApiSettings.builder()
                .host(settings.apiHost())
                .port(settings.apiPort())
                .adminToken(settings.adminToken())
                .outcomeWait(settings.outcomeWait())
                .kafkaBootstrap(connections.kafkaBootstrap())
                .kafkaClient(connections.kafkaClient())
                .jdbc(connections.jdbcUrl(), connections.jdbcUser(), connections.jdbcPassword())
                .redisUri(connections.redisUri())
                .idempotencyTtl(settings.idempotency().redisTtl())
                .idempotencyBuckets(settings.idempotency().redisBuckets())
                .rateLimits(settings.rateLimits())
                .build();
    }

    private static String memberId(GatewaySettings settings, String service) {
        return settings.instanceId() == null ? null : settings.instanceId() + "-" + service;
    }

    /** The ledger's Postgres settings: the JDBC URL as given, so its {@code sslmode} and the like reach pgjdbc. */
    static PostgresSettings postgres(Connections connections) {
        return PostgresSettings.of(connections.jdbcUrl(), connections.jdbcUser(), connections.jdbcPassword());
    }
}
