package dev.kassa.app.cli;

import dev.kassa.api.auth.AdminTokens;
import dev.kassa.app.GatewaySettings;
import dev.kassa.app.Services;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kassa topology}: the Kafka Streams topology alone, with its state endpoint. Run several with
 * the same settings to scale out; each advertises its state endpoint, so any of them can say which
 * instance owns a key. Exits 1 when the Kafka Streams client fails or shuts down on its own, so that
 * a supervisor restarts it.
 */
@Command(name = "topology", mixinStandardHelpOptions = true, description = "Run the Kafka Streams topology.")
public final class TopologyCommand implements Callable<Integer> {

    /** Stands in for the admin token when no state endpoint runs, since nothing then checks it. */
    private static final String NO_ADMIN_TOKEN = "not-used-without-a-state-endpoint";

    @Mixin
    ConnectionOptions connections;

    @Mixin
    ServiceOptions service;

    @Option(names = "--state-advertised-host", defaultValue = "${env:KASSA_STATE_ADVERTISED_HOST}",
            description = "Host that other instances and operators reach this instance's state endpoint on "
                    + "(env KASSA_STATE_ADVERTISED_HOST, default: --management-host, or 127.0.0.1 when that is 0.0.0.0).")
    String stateAdvertisedHost;

    @Override
    public Integer call() {
        boolean serveState = service.statePort != GatewaySettings.STATE_PORT_NONE;
        if (serveState) {
            try {
                AdminTokens.requireStrong("KASSA_ADMIN_TOKEN (or --admin-token)", service.adminToken);
            } catch (IllegalArgumentException e) {
                System.err.println("kassa topology: the state endpoint (--state-port " + service.statePort
                        + ") needs the admin token, or turn it off with --state-port -1: " + e.getMessage());
                return 2;
            }
        }
        GatewaySettings settings = service.toSettings(connections.toConnections(),
                serveState ? service.adminToken : NO_ADMIN_TOKEN);
        Services.prepareTopics(settings);
        Services.RunningTopology topology = Services.startTopology(settings, stateAdvertisedHost);
        System.out.println("kassa topology running, management " + topology.management().url()
                + " (/health, /ready, /metrics)"
                + topology.stateUrl().map(url -> ", state endpoint " + url + "/state/health").orElse("")
                + "\n" + topology.streams().describe());
        return UntilShutdown.await(topology, topology.failure());
    }
}
