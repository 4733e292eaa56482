package dev.kassa.app.cli;

import dev.kassa.api.ApiSettings;
import picocli.CommandLine.Option;

/** Where a service's management listener (/health, /ready, /metrics) listens; each flag defaults to its environment variable. */
public final class ManagementOptions {

    @Option(names = "--management-host",
            defaultValue = "${env:KASSA_MANAGEMENT_HOST:-" + ApiSettings.MANAGEMENT_HOST_DEFAULT + "}",
            description = "Address the management listener (/health, /ready, /metrics, the API's /admin) and the "
                    + "topology's state endpoint listen on (env KASSA_MANAGEMENT_HOST, default ${DEFAULT-VALUE}: this "
                    + "machine only).")
    String host;

    @Option(names = "--management-port",
            defaultValue = "${env:KASSA_MANAGEMENT_PORT:-" + ApiSettings.MANAGEMENT_PORT_DEFAULT + "}",
            description = "Port of the management listener (env KASSA_MANAGEMENT_PORT, default ${DEFAULT-VALUE}).")
    int port;
}
