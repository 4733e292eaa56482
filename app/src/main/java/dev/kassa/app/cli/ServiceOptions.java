package dev.kassa.app.cli;

import dev.kassa.app.Connections;
import dev.kassa.app.GatewaySettings;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Settings shared by the services besides the servers; each flag defaults to its environment variable. */
public final class ServiceOptions {

    @Mixin
    TopicOptions topics;

    @Option(names = "--host", defaultValue = "${env:KASSA_API_HOST:-0.0.0.0}",
            description = "Address the API listens on (env KASSA_API_HOST, default ${DEFAULT-VALUE}).")
    String apiHost;

    @Option(names = "--port", defaultValue = "${env:KASSA_API_PORT:-8080}",
            description = "API port (env KASSA_API_PORT, default ${DEFAULT-VALUE}).")
    int apiPort;

    @Mixin
    ManagementOptions management;

    @Option(names = "--admin-token", defaultValue = "${env:KASSA_ADMIN_TOKEN}",
            description = "Bearer token of the /admin endpoints, at least 32 random characters, e.g. openssl rand -hex 32 "
                    + "(env KASSA_ADMIN_TOKEN).")
    String adminToken;

    @Option(names = "--wait-ms", defaultValue = "${env:KASSA_WAIT_MS:-2000}",
            description = "How long a POST waits for the outcome before answering 202 (env KASSA_WAIT_MS, default ${DEFAULT-VALUE}).")
    long waitMs;

    @Option(names = "--state-dir", defaultValue = "${env:KASSA_STATE_DIR:-/tmp/kassa-streams}",
            description = "Kafka Streams state directory (env KASSA_STATE_DIR, default ${DEFAULT-VALUE}).")
    Path stateDirectory;

    @Option(names = "--instance-id", defaultValue = "${env:KASSA_INSTANCE_ID}",
            description = "Stable name of this instance in Kafka consumer groups (static membership: a restart "
                    + "takes its partitions back at once); unique per instance (env KASSA_INSTANCE_ID, default none).")
    String instanceId;

    @Option(names = "--state-port", defaultValue = "${env:KASSA_STATE_PORT:-8081}",
            description = "Port of the topology's state endpoint (GET /state/...), -1 for none (env KASSA_STATE_PORT, "
                    + "default ${DEFAULT-VALUE}).")
    int statePort;

    @Option(names = "--stream-threads",
            defaultValue = "${env:KASSA_STREAM_THREADS:-" + GatewaySettings.STREAM_THREADS_DEFAULT + "}",
            description = "Kafka Streams threads of the topology in this process (env KASSA_STREAM_THREADS, "
                    + "default ${DEFAULT-VALUE}).")
    int streamThreads;

    @Mixin
    IdempotencyOptions idempotency;

    @Mixin
    RateLimitOptions rateLimits;

    @Mixin
    DepositLimitOptions depositLimits;

    GatewaySettings toSettings(Connections connections, String adminTokenOrPlaceholder) {
        return new GatewaySettings(connections, topics.partitions, topics.replicationFactor, apiHost, apiPort,
                adminTokenOrPlaceholder, Duration.ofMillis(waitMs), stateDirectory, instanceId,
                idempotency.toSettings(), statePort, streamThreads, rateLimits.toLimits(), depositLimits.toLimits(),
                management.host, management.port);
    }
}
