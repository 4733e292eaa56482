package dev.kassa.app.cli;

import dev.kassa.app.connector.ConnectorSettings;
import dev.kassa.model.KafkaClientProperties;
import java.net.URI;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** How the card connector reaches the card processor and paces its calls; each flag defaults to its environment variable. */
public final class ConnectorOptions {

    @Mixin
    ProcessorOptions processor;

    @Option(names = "--connector-concurrency", defaultValue = "${env:KASSA_CONNECTOR_CONCURRENCY:-"
            + ConnectorSettings.CONCURRENCY_DEFAULT + "}",
            description = "Charges in flight at the processor at once, 1-256 (env KASSA_CONNECTOR_CONCURRENCY, "
                    + "default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--connector-retry-backoff-min", converter = DurationConverter.class,
            defaultValue = "${env:KASSA_CONNECTOR_RETRY_BACKOFF_MIN}",
            description = "First wait before retrying a charge whose outcome is unknown, with the same key; doubled at "
                    + "each retry (env KASSA_CONNECTOR_RETRY_BACKOFF_MIN, default ${DEFAULT-VALUE}).")
    Duration retryBackoffMin;

    @Option(names = "--connector-retry-backoff-max", converter = DurationConverter.class,
            defaultValue = "${env:KASSA_CONNECTOR_RETRY_BACKOFF_MAX}",
            description = "Longest wait between two attempts of one charge (env KASSA_CONNECTOR_RETRY_BACKOFF_MAX, "
                    + "default ${DEFAULT-VALUE}).")
    Duration retryBackoffMax;

    ConnectorSettings toSettings(String kafkaBootstrap, KafkaClientProperties kafkaClient) {
        return new ConnectorSettings(kafkaBootstrap, kafkaClient, processor.processorUrl, processor.processorApiKey,
                concurrency, retryBackoffMin, retryBackoffMax, ConnectorSettings.REQUEST_TIMEOUT_DEFAULT,
                ConnectorSettings.INSTANCE_ID_DEFAULT);
    }

    /** These options with the processor's key given by {@code kassa dev}, which runs the sandbox itself. */
    ConnectorSettings toSettings(String kafkaBootstrap, URI url, String apiKey) {
        return new ConnectorSettings(kafkaBootstrap, KafkaClientProperties.NONE, url, apiKey, concurrency,
                retryBackoffMin, retryBackoffMax, ConnectorSettings.REQUEST_TIMEOUT_DEFAULT,
                ConnectorSettings.INSTANCE_ID_DEFAULT);
    }
}
