package dev.kassa.app.cli;

import picocli.CommandLine.Option;

/** The stable name of a topology or sink instance in Kafka's consumer groups; defaults to its environment variable. */
public final class InstanceIdOption {

    @Option(names = "--instance-id", defaultValue = "${env:KASSA_INSTANCE_ID}",
            description = "Stable name of this instance in Kafka consumer groups (static membership: a restart "
                    + "takes its partitions back at once); unique per instance (env KASSA_INSTANCE_ID, default none).")
    String instanceId;

    /** This instance's name in {@code service}'s consumer group, or {@code null} for dynamic membership. */
    String memberId(String service) {
        return instanceId == null ? null : instanceId + "-" + service;
    }
}
