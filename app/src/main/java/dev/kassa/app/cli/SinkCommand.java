package dev.kassa.app.cli;

import dev.kassa.app.GatewaySettings;
import dev.kassa.app.Services;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code kassa sink}: the ledger sink alone, with its management listener. Run several with the same
 * settings to scale out. Exits 1 when the sink's thread dies, so that a supervisor restarts it.
 */
@Command(name = "sink", mixinStandardHelpOptions = true, description = "Run the ledger sink (events into Postgres).")
public final class SinkCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connections;

    @Mixin
    ServiceOptions service;

    @Override
    public Integer call() {
        GatewaySettings settings = service.toSettings(connections.toConnections(), "not-used-by-the-sink");
        Services.prepare(settings);
        Services.RunningSink sink = Services.startSink(settings);
        System.out.println("kassa sink running, management " + sink.management().url() + " (/health, /ready, /metrics)");
        return UntilShutdown.await(sink, sink.failure());
    }
}
