package dev.kassa.app.cli;

import dev.kassa.app.Services;
import dev.kassa.app.SinkServiceSettings;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code kassa sink}: the ledger sink alone, with its management listener. Run several with the same
 * settings to scale out. Exits 1 when the sink's thread dies, so that a supervisor restarts it. It
 * takes only the flags the sink uses: no admin token, no Redis.
 */
@Command(name = "sink", mixinStandardHelpOptions = true, description = "Run the ledger sink (events into Postgres).",
        defaultValueProvider = SettingsDefaults.class)
public final class SinkCommand implements Callable<Integer> {

    @Mixin
    ServiceOptions service;

    @Mixin
    PostgresOptions postgres;

    @Mixin
    InstanceIdOption instance;

    @Mixin
    LedgerKeyRetentionOption keyRetention;

    SinkServiceSettings toSettings() {
        return new SinkServiceSettings(service.toShared(), postgres.toSettings(), instance.memberId("sink"),
                keyRetention.ledgerRetention);
    }

    @Override
    public Integer call() {
        SinkServiceSettings settings = toSettings();
        Services.prepare(settings.shared(), settings.postgres());
        Services.RunningSink sink = Services.startSink(settings);
        System.out.println("kassa sink running, management " + sink.management().url() + " (/health, /ready, /metrics)");
        return UntilShutdown.await(sink, sink.failure());
    }
}
