package dev.kassa.app.cli;

import dev.kassa.app.SharedSettings;
import picocli.CommandLine.Option;

/**
 * How Kassa's topics are created when a command finds them missing; each flag defaults to its
 * environment variable. Every service and {@code kassa rules push} must agree on them.
 */
public final class TopicOptions {

    @Option(names = "--partitions", defaultValue = "${env:KASSA_PARTITIONS:-" + SharedSettings.PARTITIONS_DEFAULT + "}",
            description = "Partitions of Kassa's topics, created at start (env KASSA_PARTITIONS, default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--replication-factor",
            defaultValue = "${env:KASSA_REPLICATION_FACTOR:-" + SharedSettings.REPLICATION_FACTOR_DEFAULT + "}",
            description = "Replication of Kassa's topics (env KASSA_REPLICATION_FACTOR, default ${DEFAULT-VALUE}).")
    short replicationFactor;
}
