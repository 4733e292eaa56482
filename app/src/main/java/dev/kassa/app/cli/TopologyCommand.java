package dev.kassa.app.cli;

import dev.kassa.app.GatewaySettings;
import dev.kassa.app.Services;
import dev.kassa.topology.KassaStreams;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kassa topology}: the Kafka Streams topology alone. Run several with the same settings to scale out. */
@Command(name = "topology", mixinStandardHelpOptions = true, description = "Run the Kafka Streams topology.")
public final class TopologyCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connections;

    @Mixin
    ServiceOptions service;

    @Override
    public Integer call() {
        GatewaySettings settings = service.toSettings(connections.toConnections(), "not-used-by-the-topology");
        Services.prepareTopics(settings);
        KassaStreams topology = Services.startTopology(settings);
        System.out.println("kassa topology running\n" + topology.describe());
        UntilShutdown.await(topology);
        return 0;
    }
}
