package dev.kassa.app;

import dev.kassa.api.RateLimits;
import dev.kassa.topology.StreamsSettings;
import dev.kassa.topology.treasury.DepositLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What it takes to run Kassa's services: the servers, Kafka's topic layout, the API's address and
 * admin token, the outcome wait, and where the topology keeps its state.
 *
 * @param partitions        partitions of every Kassa topic and of the topology's repartition topics
 * @param replicationFactor replication of Kassa's topics and the topology's internal topics
 * @param instanceId        this process's stable name in the consumer groups (static membership),
 *                          so that after a crash its restart takes its partitions back at once
 *                          instead of after the dead member's session timeout; {@code null} for
 *                          dynamic membership
 * @param idempotency       how long each line of idempotency remembers a key, and how Redis holds them
 * @param statePort         port of the topology's state endpoint ({@code /state/...}), 0 for an
 *                          ephemeral one, {@link #STATE_PORT_NONE} for none
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
    public static final int PARTITIONS_MAX = 1024;
    public static final Duration OUTCOME_WAIT_DEFAULT = Duration.ofSeconds(2);
    /** {@link #statePort()} when the topology serves no state endpoint. */
    public static final int STATE_PORT_NONE = -1;
    /** Where the management listeners and the state endpoint bind unless told otherwise: this machine only. */
    public static final String MANAGEMENT_HOST_DEFAULT = "127.0.0.1";
    public static final int MANAGEMENT_PORT_DEFAULT = 9090;
    /**
     * Two: each stream thread commits its own transactions, and a thread spends about a third of its
     * time waiting for its commit's writes to be acknowledged; a second thread processes meanwhile
     * (docs/architecture.md, Commits, with its measurement).
     */
    public static final int STREAM_THREADS_DEFAULT = 2;

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
                DepositLimits.DEFAULTS, MANAGEMENT_HOST_DEFAULT, 0);
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
        if (partitions < 1 || partitions > PARTITIONS_MAX) {
            throw new IllegalArgumentException("partitions must be within 1.." + PARTITIONS_MAX + ": " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor must be positive: " + replicationFactor);
        }
        if (apiPort < 0 || apiPort > 65_535) {
            throw new IllegalArgumentException("API port must be within 0..65535: " + apiPort);
        }
        if (statePort < STATE_PORT_NONE || statePort > 65_535) {
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

    /** The same settings with the topology's state endpoint on {@code port} ({@link #STATE_PORT_NONE} for none). */
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
}
