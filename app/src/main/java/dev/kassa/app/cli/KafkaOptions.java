package dev.kassa.app.cli;

import picocli.CommandLine.Option;

/** The Kafka cluster a command talks to; the flag defaults to its environment variable. */
public final class KafkaOptions {

    @Option(names = "--kafka-bootstrap", defaultValue = "${env:KASSA_KAFKA_BOOTSTRAP:-localhost:9092}",
            description = "Kafka bootstrap servers (env KASSA_KAFKA_BOOTSTRAP, default ${DEFAULT-VALUE}).")
    String bootstrap;
}
