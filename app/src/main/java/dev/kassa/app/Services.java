package dev.kassa.app;

import com.zaxxer.hikari.HikariDataSource;
import dev.kassa.api.ApiSettings;
import dev.kassa.api.KassaApi;
import dev.kassa.ledger.postgres.Migrations;
import dev.kassa.ledger.postgres.PostgresSettings;
import dev.kassa.ledger.sink.LedgerSink;
import dev.kassa.ledger.sink.SinkSettings;
import dev.kassa.topology.KassaStreams;
import dev.kassa.topology.StreamsSettings;
import dev.kassa.topology.TopologySettings;

/**
 * Starts each of Kassa's three services from {@link GatewaySettings}, the one place the app turns
 * its settings into each module's own. {@code kassa dev} and the integration tests start all three
 * in one process; {@code kassa api|topology|sink} start one.
 */
public final class Services {

    private Services() {
    }

    /** Applies the schema migrations and creates the topics every service relies on. */
    public static void prepare(GatewaySettings settings) {
        Connections connections = settings.connections();
        TopicProvisioner.ensureTopics(connections.kafkaBootstrap(), settings.partitions(), settings.replicationFactor());
        try (HikariDataSource pool = postgres(connections).openPool()) {
            Migrations.apply(pool);
        }
    }

    /** Prepares only the topics: the topology needs no database. */
    public static void prepareTopics(GatewaySettings settings) {
        TopicProvisioner.ensureTopics(settings.connections().kafkaBootstrap(), settings.partitions(),
                settings.replicationFactor());
    }

    public static KassaStreams startTopology(GatewaySettings settings) {
        int replication = settings.replicationFactor();
        StreamsSettings streams = StreamsSettings
                .embedded(settings.connections().kafkaBootstrap(), settings.streamsStateDirectory())
                .withReplication(replication, Math.max(1, replication - 1))
                .withGroupInstanceId(memberId(settings, "topology"));
        KassaStreams topology = KassaStreams.create(
                TopologySettings.defaults().withLedgerPartitions(settings.partitions())
                        .withDedupeRetention(settings.keyRetention().dedupeRetention()), streams);
        topology.start();
        return topology;
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
        HikariDataSource pool = postgres(settings.connections()).openPool();
        SinkSettings sinkSettings = SinkSettings.defaults(settings.connections().kafkaBootstrap())
                .withGroupInstanceId(memberId(settings, "sink"));
        LedgerSink sink = new LedgerSink(sinkSettings, pool);
        Thread thread = new Thread(sink, "ledger-sink");
        thread.start();
        return new RunningSink(sink, pool, thread);
    }

    public static KassaApi startApi(GatewaySettings settings) {
        Connections connections = settings.connections();
        ApiSettings api = ApiSettings.builder()
                .host(settings.apiHost())
                .port(settings.apiPort())
                .adminToken(settings.adminToken())
                .outcomeWait(settings.outcomeWait())
                .kafkaBootstrap(connections.kafkaBootstrap())
                .jdbc(connections.jdbcUrl(), connections.jdbcUser(), connections.jdbcPassword())
                .redisUri(connections.redisUri())
                .idempotencyTtl(settings.keyRetention().redisTtl())
                .build();
        return new KassaApi(api).start();
    }

    private static String memberId(GatewaySettings settings, String service) {
        return settings.instanceId() == null ? null : settings.instanceId() + "-" + service;
    }

    private static PostgresSettings postgres(Connections connections) {
        return PostgresSettings.of(connections.jdbcUrl(), connections.jdbcUser(), connections.jdbcPassword());
    }
}
