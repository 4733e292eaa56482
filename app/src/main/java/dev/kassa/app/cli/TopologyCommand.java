package dev.kassa.app.cli;

import dev.kassa.app.Services;
import dev.kassa.app.TopologyServiceSettings;
import dev.kassa.topology.StreamsSettings;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kassa topology}: the Kafka Streams topology alone, with its state endpoint. Run several with
 * the same settings to scale out; each advertises its state endpoint, so any of them can say which
 * instance owns a key. Exits 1 when the Kafka Streams client fails or shuts down on its own, so that
 * a supervisor restarts it. It takes only the flags the topology uses, and needs the admin token only
 * for its state endpoint: with {@code --state-port -1} it runs without one.
 */
@Command(name = "topology", mixinStandardHelpOptions = true, description = "Run the Kafka Streams topology.",
        defaultValueProvider = SettingsDefaults.class)
public final class TopologyCommand implements Callable<Integer> {

    @Mixin
    ServiceOptions service;

    @Mixin
    InstanceIdOption instance;

    @Option(names = "--state-dir",
            defaultValue = "${env:KASSA_STATE_DIR:-" + TopologyServiceSettings.STATE_DIRECTORY_DEFAULT + "}",
            description = "Kafka Streams state directory (env KASSA_STATE_DIR, default ${DEFAULT-VALUE}).")
    Path stateDirectory;

    @Option(names = "--stream-threads",
            defaultValue = "${env:KASSA_STREAM_THREADS:-" + StreamsSettings.STREAM_THREADS_DEFAULT + "}",
            description = "Kafka Streams threads of the topology in this process (env KASSA_STREAM_THREADS, "
                    + "default ${DEFAULT-VALUE}).")
    int streamThreads;

    @Option(names = "--state-port",
            defaultValue = "${env:KASSA_STATE_PORT:-" + TopologyServiceSettings.STATE_PORT_DEFAULT + "}",
            description = "Port of the topology's state endpoint (GET /state/...), -1 for none (env KASSA_STATE_PORT, "
                    + "default ${DEFAULT-VALUE}).")
    int statePort;

    @Mixin
    AdminTokenOption adminToken;

    @Option(names = "--state-advertised-host", defaultValue = "${env:KASSA_STATE_ADVERTISED_HOST}",
            description = "Host that other instances and operators reach this instance's state endpoint on "
                    + "(env KASSA_STATE_ADVERTISED_HOST, default: --management-host, or 127.0.0.1 when that is 0.0.0.0).")
    String stateAdvertisedHost;

    @Mixin
    DedupeRetentionOption dedupe;

    @Mixin
    DepositLimitOptions depositLimits;

    /** The topology's settings from the flags; {@code token} is present exactly when the state endpoint runs. */
    TopologyServiceSettings toSettings(Optional<String> token) {
        return new TopologyServiceSettings(service.toShared(), instance.memberId("topology"), stateDirectory,
                streamThreads, statePort, token, stateAdvertisedHost, dedupe.dedupeRetention, depositLimits.toLimits());
    }

    /** Whether the state endpoint runs, and so needs the admin token. */
    boolean servesState() {
        return statePort != TopologyServiceSettings.STATE_PORT_NONE;
    }

    @Override
    public Integer call() {
        Optional<String> token = Optional.empty();
        if (servesState()) {
            try {
                token = Optional.of(adminToken.requireStrong());
            } catch (IllegalArgumentException e) {
                System.err.println("kassa topology: the state endpoint (--state-port " + statePort
                        + ") needs the admin token, or turn it off with --state-port -1: " + e.getMessage());
                return 2;
            }
        }
        TopologyServiceSettings settings = toSettings(token);
        Services.prepareTopics(settings.shared());
        Services.RunningTopology topology = Services.startTopology(settings);
        System.out.println("kassa topology running, management " + topology.management().url()
                + " (/health, /ready, /metrics)"
                + topology.stateUrl().map(url -> ", state endpoint " + url + "/state/health").orElse("")
                + "\n" + topology.streams().describe());
        return UntilShutdown.await(topology, topology.failure());
    }
}
