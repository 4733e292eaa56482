package dev.kassa.app.cli;

import dev.kassa.processor.sim.SandboxSettings;
import java.net.URI;
import picocli.CommandLine.Option;

/** The card processor the connector charges and {@code kassa reconcile} reads reports of; each flag defaults to its environment variable. */
public final class ProcessorOptions {

    @Option(names = "--processor-url", defaultValue = "${env:KASSA_PROCESSOR_URL:-" + SandboxSettings.URL_DEFAULT + "}",
            description = "Base URL of the card processor (env KASSA_PROCESSOR_URL, default ${DEFAULT-VALUE}).")
    URI processorUrl;

    @Option(names = "--processor-api-key", defaultValue = "${env:KASSA_PROCESSOR_API_KEY}",
            description = "Bearer key of the card processor's API, required (env KASSA_PROCESSOR_API_KEY).")
    String processorApiKey;
}
