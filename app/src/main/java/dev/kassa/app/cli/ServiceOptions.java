package dev.kassa.app.cli;

import dev.kassa.app.SharedSettings;
import picocli.CommandLine.Mixin;

/**
 * The flags {@code kassa api}, {@code kassa topology} and {@code kassa sink} all take: the Kafka cluster,
 * the topic layout and the management listener. Each command adds only the flags its service uses;
 * each flag defaults to its environment variable.
 */
public final class ServiceOptions {

    @Mixin
    KafkaOptions kafka;

    @Mixin
    TopicOptions topics;

    @Mixin
    ManagementOptions management;

    SharedSettings toShared() {
        return new SharedSettings(kafka.bootstrap, kafka.clientProperties(), topics.partitions,
                topics.replicationFactor, management.host, management.port);
    }
}
