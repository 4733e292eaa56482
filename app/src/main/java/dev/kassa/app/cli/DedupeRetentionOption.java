package dev.kassa.app.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * How long the topology's dedupe store keeps an idempotency key; defaults to its environment variable,
 * and that to {@link dev.kassa.topology.TopologySettings#DEDUPE_RETENTION_DEFAULT} ({@link SettingsDefaults}).
 */
public final class DedupeRetentionOption {

    @Option(names = "--dedupe-retention", defaultValue = "${env:KASSA_DEDUPE_RETENTION}",
            converter = DurationConverter.class,
            description = "How long the topology's dedupe store keeps a key, in stream time (env KASSA_DEDUPE_RETENTION, "
                    + "default ${DEFAULT-VALUE}).")
    Duration dedupeRetention;
}
