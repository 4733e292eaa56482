package dev.kassa.runtime;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the embedded runtime keeps all of its data and which loopback ports its components listen on.
 *
 * <p>A port of {@link #PICK_FREE_PORT} means "the port this data directory used last time, or a free
 * one on the first start": chosen ports are remembered in {@code <dataDirectory>/ports.properties}, so a
 * restarted runtime comes back at the same addresses. That matters for Kafka, whose controller quorum
 * is addressed by port, and for every client configured with the printed addresses.
 *
 * @param dataDirectory       the one directory holding Kafka logs, Postgres and Redis data; created if missing
 * @param kafkaPort           the broker's PLAINTEXT listener port, or 0
 * @param kafkaControllerPort the KRaft controller listener port, or 0
 * @param postgresPort        the Postgres port, or 0
 * @param redisPort           the Redis port, or 0
 * @param kafkaRelayPort      the port of a relay (a TCP proxy, such as the bench's delay proxy) in
 *                            front of a second client listener of the broker, or {@link #NO_KAFKA_RELAY}.
 *                            That listener, {@code RELAYED}, binds a free port of its own (never
 *                            remembered) and advertises this one, so clients bootstrapped at the relay
 *                            learn only the relay's address from metadata and never bypass it; see
 *                            {@link EmbeddedKafka#relayedListener()}
 */
public record RuntimeConfig(
        Path dataDirectory, int kafkaPort, int kafkaControllerPort, int postgresPort, int redisPort,
        int kafkaRelayPort) {

    /** Asks for the remembered port of this data directory, or a free one on the first start. */
    public static final int PICK_FREE_PORT = 0;
    /** No relayed Kafka listener: the broker's only client listener is {@code PLAINTEXT}. */
    public static final int NO_KAFKA_RELAY = 0;

    private static final int PORT_MAX = 65_535;

    public RuntimeConfig {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        requirePort("kafkaPort", kafkaPort);
        requirePort("kafkaControllerPort", kafkaControllerPort);
        requirePort("postgresPort", postgresPort);
        requirePort("redisPort", redisPort);
        requirePort("kafkaRelayPort", kafkaRelayPort);
    }

    /** Without a relayed Kafka listener. */
    public RuntimeConfig(Path dataDirectory, int kafkaPort, int kafkaControllerPort, int postgresPort, int redisPort) {
        this(dataDirectory, kafkaPort, kafkaControllerPort, postgresPort, redisPort, NO_KAFKA_RELAY);
    }

    /** A configuration that keeps the remembered ports of {@code dataDirectory}, or picks free ones. */
    public static RuntimeConfig withFreePorts(Path dataDirectory) {
        return new RuntimeConfig(dataDirectory, PICK_FREE_PORT, PICK_FREE_PORT, PICK_FREE_PORT, PICK_FREE_PORT);
    }

    /** This configuration with a relayed Kafka listener advertising {@code relayPort} (see the class comment). */
    public RuntimeConfig withKafkaRelay(int relayPort) {
        if (relayPort == NO_KAFKA_RELAY) {
            throw new IllegalArgumentException("a Kafka relay needs its port, was " + relayPort);
        }
        return new RuntimeConfig(dataDirectory, kafkaPort, kafkaControllerPort, postgresPort, redisPort, relayPort);
    }

    private static void requirePort(String name, int port) {
        if (port < PICK_FREE_PORT || port > PORT_MAX) {
            throw new IllegalArgumentException(
                    name + " must be between 0 (pick a free port) and " + PORT_MAX + ", was " + port);
        }
    }
}
