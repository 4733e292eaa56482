package dev.kassa.app.cli;

import dev.kassa.model.KafkaClientProperties;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The Kafka cluster a command talks to, and how; each flag defaults to its environment variable. */
public final class KafkaOptions {

    @Option(names = "--kafka-bootstrap", defaultValue = "${env:KASSA_KAFKA_BOOTSTRAP:-localhost:9092}",
            description = "Kafka bootstrap servers (env KASSA_KAFKA_BOOTSTRAP, default ${DEFAULT-VALUE}).")
    String bootstrap;

    @Option(names = "--kafka-config", paramLabel = "FILE", defaultValue = "${env:KASSA_KAFKA_CONFIG}",
            description = "Kafka client properties added to every Kafka client, as in Kafka's client.properties: "
                    + "security.protocol, ssl.*, sasl.* (env KASSA_KAFKA_CONFIG, default none).")
    Path config;

    /**
     * The file's settings, or none without a file.
     *
     * @throws KafkaClientProperties.InvalidException when the file cannot be read or sets what Kassa refuses
     */
    KafkaClientProperties clientProperties() {
        return config == null ? KafkaClientProperties.NONE : KafkaClientProperties.load(config);
    }
}
