package dev.kassa.app;

import dev.kassa.api.ApiSettings;
import dev.kassa.api.RateLimits;
import dev.kassa.api.payments.CardCapabilities;
import dev.kassa.ledger.postgres.PostgresSettings;
import dev.kassa.topology.StreamsSettings;
import dev.kassa.topology.treasury.DepositLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What it takes to run all three of Kassa's services in one process ({@link Gateway}: {@code kassa dev},
 * the integration tests and the bench): the servers, Kafka's topic layout, the API's address and
 * admin token, the outcome wait, and where the topology keeps its state. A service started alone
 * takes only its own part: {@link #shared()} and {@link #api()}, {@link #topology()} or {@link #sink()}.
 *
 * @param partitions        partitions of every Kassa topic and of the topology's repartition topics
 * @param replicationFactor replication of Kassa's topics and the topology's internal topics
 * @param instanceId        this process's stable name in the consumer groups (static membership),
 *                          so that after a crash its restart takes its partitions back at once
 *                          instead of after the dead member's session timeout; {@code null} for
 *                          dynamic membership
 * @param idempotency       how long each line of idempotency remembers a key, and how Redis holds them
 * @param statePort         port of the topology's state endpoint ({@code /state/...}), 0 for an
 *                          ephemeral one, {@link TopologyServiceSettings#STATE_PORT_NONE} for none
 * @param streamThreads     the topology's Kafka Streams threads in this process
 * @param rateLimits        how much one merchant key and one client address may ask of the API
 * @param depositLimits     the topology's supply cap per currency and each merchant's single and
 *                          daily deposit limits (docs/architecture.md, Deposits)
 * @param managementHost    address the management listeners ({@code /health}, {@code /ready},
 *                          {@code /metrics}, the API's {@code /admin}) and the topology's state endpoint
 *                          bind to; {@code 127.0.0.1} by default, so only this machine reaches them
 * @param managementPort    port of this service's management listener, 0 for an ephemeral one; in one
 *                          process running all three ({@link Gateway}), the API's, and the topology's and
 *                          the sink's the next two (docs/api.md, Management port)
 */
public record GatewaySettings(Connections connections, int partitions, short replicationFactor,
                              String apiHost, int apiPort, String adminToken, Duration outcomeWait,
                              Path streamsStateDirectory, String instanceId,
                              IdempotencySettings idempotency, int statePort, int streamThreads,
                              RateLimits rateLimits, DepositLimits depositLimits, String managementHost,
                              int managementPort) {

    /**
     * Partitions of a new data directory's topics, for one machine ({@code kassa dev}, the bench's
     * embedded runtime): one task per stream thread, so each transaction touches the fewest
     * partitions and the broker writes the fewest commit markers (docs/architecture.md,
     * Partitions). A data directory keeps the count its topics were created with.
     */
    public static final int PARTITIONS_DEFAULT = 2;

    /**
     * Settings with the API's default rate limits, the default deposit limits and management listeners on
     * free loopback ports.
     */
    public GatewaySettings(Connections connections, int partitions, short replicationFactor, String apiHost, int apiPort,
                           String adminToken, Duration outcomeWait, Path streamsStateDirectory, String instanceId,
                           IdempotencySettings idempotency, int statePort, int streamThreads) {
        this(connections, partitions, replicationFactor, apiHost, apiPort, adminToken, outcomeWait,
                streamsStateDirectory, instanceId, idempotency, statePort, streamThreads, RateLimits.DEFAULTS);
    }

    /**
     * Settings with the default deposit limits and management listeners on free loopback ports, as embedded runs (tests, the bench)
     * want them: several gateways in one machine must not contend for a fixed port.
     */
    public GatewaySettings(Connections connections, int partitions, short replicationFactor, String apiHost, int apiPort,
                           String adminToken, Duration outcomeWait, Path streamsStateDirectory, String instanceId,
                           IdempotencySettings idempotency, int statePort, int streamThreads, RateLimits rateLimits) {
        this(connections, partitions, replicationFactor, apiHost, apiPort, adminToken, outcomeWait,
                streamsStateDirectory, instanceId, idempotency, statePort, streamThreads, rateLimits,
                DepositLimits.DEFAULTS, ApiSettings.MANAGEMENT_HOST_DEFAULT, 0);
    }

    public GatewaySettings {
        Objects.requireNonNull(connections, "connections");
        Objects.requireNonNull(rateLimits, "rateLimits");
        Objects.requireNonNull(depositLimits, "depositLimits");
        Objects.requireNonNull(apiHost, "apiHost");
        Objects.requireNonNull(adminToken, "adminToken");
        Objects.requireNonNull(outcomeWait, "outcomeWait");
        Objects.requireNonNull(streamsStateDirectory, "streamsStateDirectory");
        Objects.requireNonNull(idempotency, "idempotency");
        Objects.requireNonNull(managementHost, "managementHost");
        if (managementPort < 0 || managementPort > 65_535) {
            throw new IllegalArgumentException("management port must be within 0..65535: " + managementPort);
        }
        if (partitions < 1 || partitions > SharedSettings.PARTITIONS_MAX) {
            throw new IllegalArgumentException("partitions must be within 1.." + SharedSettings.PARTITIONS_MAX + ": "
                    + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor must be positive: " + replicationFactor);
        }
        if (apiPort < 0 || apiPort > 65_535) {
            throw new IllegalArgumentException("API port must be within 0..65535: " + apiPort);
        }
        if (statePort < TopologyServiceSettings.STATE_PORT_NONE || statePort > 65_535) {
            throw new IllegalArgumentException("state port must be within 0..65535, or -1 for none: " + statePort);
        }
        if (streamThreads < 1 || streamThreads > StreamsSettings.STREAM_THREADS_MAX) {
            throw new IllegalArgumentException("stream threads must be within 1.." + StreamsSettings.STREAM_THREADS_MAX
                    + ": " + streamThreads);
        }
    }

    /** The same settings with the API's rate limits {@code limits}. */
    public GatewaySettings withRateLimits(RateLimits limits) {
        return new GatewaySettings(connections, partitions, replicationFactor, apiHost, apiPort, adminToken, outcomeWait,
                streamsStateDirectory, instanceId, idempotency, statePort, streamThreads, limits, depositLimits,
                managementHost, managementPort);
    }

    /** The same settings with the topology's deposit limits {@code limits}. */
    public GatewaySettings withDepositLimits(DepositLimits limits) {
        return new GatewaySettings(connections, partitions, replicationFactor, apiHost, apiPort, adminToken, outcomeWait,
                streamsStateDirectory, instanceId, idempotency, statePort, streamThreads, rateLimits, limits,
                managementHost, managementPort);
    }

    /** The same settings with the management listener on {@code port}. */
    public GatewaySettings withManagementPort(int port) {
        return new GatewaySettings(connections, partitions, replicationFactor, apiHost, apiPort, adminToken, outcomeWait,
                streamsStateDirectory, instanceId, idempotency, statePort, streamThreads, rateLimits, depositLimits,
                managementHost, port);
    }

    /**
     * The same settings with the topology's state endpoint on {@code port}
     * ({@link TopologyServiceSettings#STATE_PORT_NONE} for none).
     */
    public GatewaySettings withStatePort(int port) {
        return new GatewaySettings(connections, partitions, replicationFactor, apiHost, apiPort, adminToken, outcomeWait,
                streamsStateDirectory, instanceId, idempotency, port, streamThreads, rateLimits, depositLimits,
                managementHost, managementPort);
    }

    /**
     * The port of the management listener {@code offset} places after {@link #managementPort()}: the
     * API takes offset 0, the topology 1 and the sink 2 when one process runs them all; 0 stays 0 (free ports).
     */
    public int managementPort(int offset) {
        return managementPort == 0 ? 0 : managementPort + offset;
    }

    /** What every service takes alike: Kafka, the topic layout and the management listener. */
    public SharedSettings shared() {
        return new SharedSettings(connections.kafkaBootstrap(), connections.kafkaClient(), partitions,
                replicationFactor, managementHost, managementPort);
    }

    /** The ledger's Postgres: the JDBC URL as given, so its {@code sslmode} and the like reach pgjdbc. */
    public PostgresSettings postgres() {
        return Services.postgres(connections);
    }

    /** The API's settings, checking card payments against the sandbox's capabilities. */
    public ApiServiceSettings api() {
        return new ApiServiceSettings(shared(), postgres(), connections.redisUri(), apiHost, apiPort, adminToken,
                outcomeWait, idempotency.redisTtl(), idempotency.redisBuckets(), rateLimits, CardCapabilities.SANDBOX);
    }

    /** The topology's settings: the admin token only when its state endpoint runs. */
    public TopologyServiceSettings topology() {
        boolean servesState = statePort != TopologyServiceSettings.STATE_PORT_NONE;
        return new TopologyServiceSettings(shared(), memberId("topology"), streamsStateDirectory, streamThreads,
                statePort, servesState ? Optional.of(adminToken) : Optional.empty(), null,
                idempotency.dedupeRetention(), depositLimits);
    }

    /** The ledger sink's settings: no admin token, no Redis. */
    public SinkServiceSettings sink() {
        return new SinkServiceSettings(shared(), postgres(), memberId("sink"), idempotency.ledgerRetention());
    }

    /** This process's name in {@code service}'s consumer group, or {@code null} for dynamic membership. */
    private String memberId(String service) {
        return instanceId == null ? null : instanceId + "-" + service;
    }
}
