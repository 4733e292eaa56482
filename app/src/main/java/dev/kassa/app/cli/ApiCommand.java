package dev.kassa.app.cli;

import dev.kassa.api.KassaApi;
import dev.kassa.api.auth.AdminTokens;
import dev.kassa.app.GatewaySettings;
import dev.kassa.app.Services;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kassa api}: the HTTP API alone, against running Kafka, Postgres and Redis. */
@Command(name = "api", mixinStandardHelpOptions = true, description = "Run the HTTP ingest API.")
public final class ApiCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connections;

    @Mixin
    ServiceOptions service;

    @Override
    public Integer call() {
        try {
            AdminTokens.requireStrong("KASSA_ADMIN_TOKEN (or --admin-token)", service.adminToken);
        } catch (IllegalArgumentException e) {
            System.err.println("kassa api: " + e.getMessage());
            return 2;
        }
        GatewaySettings settings = service.toSettings(connections.toConnections(), service.adminToken);
        Services.prepare(settings);
        KassaApi api = Services.startApi(settings);
        System.out.println("kassa api listening on port " + api.port() + ", management " + api.management().url()
                + " (/admin, /health, /ready, /metrics)");
        return UntilShutdown.await(api);
    }
}
