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

    /** Where one process running everything serves its API unless told: this machine only. */
    public static final String API_HOST_DEFAULT = "127.0.0.1";

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

    /**
     * A builder of the settings of one process running all three services against {@code connections},
     * with {@code adminToken} and the topology's state under {@code streamsStateDirectory}; every other
     * setting starts at its default for an embedded run: {@link #PARTITIONS_DEFAULT} partitions,
     * replication 1, the API on 127.0.0.1 and free ports for the API, the state endpoint and the
     * management listeners (several gateways in one machine must not contend for a fixed port), dynamic
     * group membership, and the services' default waits, retention, threads and limits.
     */
    public static Builder builder(Connections connections, String adminToken, Path streamsStateDirectory) {
        return new Builder(connections, adminToken, streamsStateDirectory);
    }

    /** A builder seeded with these settings. */
    public Builder toBuilder() {
        return new Builder(connections, adminToken, streamsStateDirectory).partitions(partitions)
                .replicationFactor(replicationFactor).apiHost(apiHost).apiPort(apiPort).outcomeWait(outcomeWait)
                .instanceId(instanceId).idempotency(idempotency).statePort(statePort).streamThreads(streamThreads)
                .rateLimits(rateLimits).depositLimits(depositLimits).managementHost(managementHost)
                .managementPort(managementPort);
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

    /** Builds {@link GatewaySettings}; {@link #build()} checks every setting. */
    public static final class Builder {
        private final Connections connections;
        private final String adminToken;
        private final Path streamsStateDirectory;
        private int partitions = PARTITIONS_DEFAULT;
        private short replicationFactor = 1;
        private String apiHost = API_HOST_DEFAULT;
        private int apiPort;
        private Duration outcomeWait = ApiSettings.OUTCOME_WAIT_DEFAULT;
        private String instanceId;
        private IdempotencySettings idempotency = IdempotencySettings.DEFAULTS;
        private int statePort;
        private int streamThreads = StreamsSettings.STREAM_THREADS_DEFAULT;
        private RateLimits rateLimits = RateLimits.DEFAULTS;
        private DepositLimits depositLimits = DepositLimits.DEFAULTS;
        private String managementHost = ApiSettings.MANAGEMENT_HOST_DEFAULT;
        private int managementPort;

        private Builder(Connections connections, String adminToken, Path streamsStateDirectory) {
            this.connections = connections;
            this.adminToken = adminToken;
            this.streamsStateDirectory = streamsStateDirectory;
        }

        public Builder partitions(int partitions) { this.partitions = partitions; return this; }
        public Builder replicationFactor(short replicationFactor) { this.replicationFactor = replicationFactor; return this; }
        public Builder apiHost(String apiHost) { this.apiHost = apiHost; return this; }
        public Builder apiPort(int apiPort) { this.apiPort = apiPort; return this; }
        public Builder outcomeWait(Duration outcomeWait) { this.outcomeWait = outcomeWait; return this; }
        /** This process's name in the consumer groups (static membership); {@code null} for dynamic. */
        public Builder instanceId(String instanceId) { this.instanceId = instanceId; return this; }
        public Builder idempotency(IdempotencySettings idempotency) { this.idempotency = idempotency; return this; }
        /** The state endpoint's port, 0 for a free one, {@link TopologyServiceSettings#STATE_PORT_NONE} for none. */
        public Builder statePort(int statePort) { this.statePort = statePort; return this; }
        public Builder streamThreads(int streamThreads) { this.streamThreads = streamThreads; return this; }
        public Builder rateLimits(RateLimits rateLimits) { this.rateLimits = rateLimits; return this; }
        public Builder depositLimits(DepositLimits depositLimits) { this.depositLimits = depositLimits; return this; }
        public Builder managementHost(String managementHost) { this.managementHost = managementHost; return this; }
        public Builder managementPort(int managementPort) { this.managementPort = managementPort; return this; }

        public GatewaySettings build() {
            return new GatewaySettings(connections, partitions, replicationFactor, apiHost, apiPort, adminToken,
                    outcomeWait, streamsStateDirectory, instanceId, idempotency, statePort, streamThreads, rateLimits,
                    depositLimits, managementHost, managementPort);
        }
    }
}
