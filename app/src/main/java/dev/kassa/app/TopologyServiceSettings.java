package dev.kassa.app;

import dev.kassa.model.Bounds;
import dev.kassa.topology.StreamsSettings;
import dev.kassa.topology.treasury.DepositLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code kassa topology} runs on, besides {@link SharedSettings}. It reads no database and no
 * Redis, and it holds the admin token only when its state endpoint runs, the one thing that checks it.
 *
 * @param instanceId          this process's stable name in the consumer group (static membership), so that
 *                            after a crash its restart takes its partitions back at once; {@code null} for
 *                            dynamic membership
 * @param stateDirectory      where Kafka Streams keeps its stores
 * @param streamThreads       Kafka Streams threads in this process
 * @param statePort           port of the state endpoint ({@code /state/...}), 0 for an ephemeral one,
 *                            {@link #STATE_PORT_NONE} for none
 * @param adminToken          the bearer token of the state endpoint: present exactly when it runs (its strength
 *                            is checked by {@code kassa topology}, as {@link dev.kassa.api.auth.AdminTokens} says)
 * @param stateAdvertisedHost the host other instances and operators reach the state endpoint on; {@code null}
 *                            for the management host, or {@code 127.0.0.1} when that is a wildcard address
 * @param dedupeRetention     how long, in stream time, the dedupe store keeps a key
 * @param depositLimits       the supply cap per currency and each merchant's deposit limits
 */
public record TopologyServiceSettings(SharedSettings shared, String instanceId, Path stateDirectory,
                                      int streamThreads, int statePort, Optional<String> adminToken,
                                      String stateAdvertisedHost, Duration dedupeRetention,
                                      DepositLimits depositLimits) {

    /** {@link #statePort()} when the topology serves no state endpoint. */
    public static final int STATE_PORT_NONE = -1;
    public static final int STATE_PORT_DEFAULT = 8081;
    public static final String STATE_DIRECTORY_DEFAULT = "/tmp/kassa-streams";

    public TopologyServiceSettings {
        Objects.requireNonNull(shared, "shared");
        Objects.requireNonNull(stateDirectory, "stateDirectory");
        Bounds.requireWithin("streamThreads", streamThreads, 1, StreamsSettings.STREAM_THREADS_MAX);
        Bounds.requireWithin("statePort", statePort, STATE_PORT_NONE, 65_535);
        Objects.requireNonNull(adminToken, "adminToken");
        boolean servesState = statePort != STATE_PORT_NONE; // the fields are not assigned yet
        if (servesState && adminToken.filter(token -> !token.isBlank()).isEmpty()) {
            throw new IllegalArgumentException("adminToken is required when the state endpoint runs (statePort "
                    + statePort + ")");
        } else if (!servesState && adminToken.isPresent()) {
            throw new IllegalArgumentException("adminToken is only for the state endpoint, and statePort is "
                    + STATE_PORT_NONE + " (none)");
        }
        Objects.requireNonNull(dedupeRetention, "dedupeRetention");
        Objects.requireNonNull(depositLimits, "depositLimits");
    }

    /** Whether the state endpoint runs. */
    public boolean servesState() {
        return statePort != STATE_PORT_NONE;
    }

    /** Names no secret. */
    @Override
    public String toString() {
        return "TopologyServiceSettings[shared=" + shared + ", instanceId=" + instanceId + ", stateDirectory="
                + stateDirectory + ", streamThreads=" + streamThreads + ", statePort=" + statePort + ", adminToken="
                + adminToken.map(token -> "<redacted>").orElse("none") + ", stateAdvertisedHost=" + stateAdvertisedHost
                + ", dedupeRetention=" + dedupeRetention + ", depositLimits=" + depositLimits + "]";
    }
}
