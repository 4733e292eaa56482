package dev.kassa.runtime;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * The ports a runtime actually listens on, after resolving "pick a free port" against the ports this
 * data directory used before ({@code ports.properties}).
 *
 * @param kafka           the broker's PLAINTEXT listener
 * @param kafkaController the KRaft controller listener
 * @param postgres        Postgres
 * @param redis           Redis
 * @param kafkaRelayed    the broker's {@code RELAYED} listener, which a relay forwards to, or
 *                        {@link RuntimeConfig#NO_KAFKA_RELAY}: a free port on every start, never
 *                        remembered, as the relay in front of it is new on every start too
 */
public record RuntimePorts(int kafka, int kafkaController, int postgres, int redis, int kafkaRelayed) {

    static final String FILE_NAME = "ports.properties";

    private static final String KAFKA_KEY = "kafka.port";
    private static final String KAFKA_CONTROLLER_KEY = "kafka.controller.port";
    private static final String POSTGRES_KEY = "postgres.port";
    private static final String REDIS_KEY = "redis.port";

    public RuntimePorts {
        Set<Integer> distinct = new HashSet<>(List.of(kafka, kafkaController, postgres, redis));
        boolean fourDistinct = distinct.size() == 4 && !distinct.contains(0);
        boolean relayedClashes = kafkaRelayed != RuntimeConfig.NO_KAFKA_RELAY && !distinct.add(kafkaRelayed);
        if (!fourDistinct || relayedClashes) {
            throw new IllegalArgumentException("ports must be four distinct non-zero ports, and a relayed Kafka"
                    + " listener's a fifth, were kafka=" + kafka + " kafkaController=" + kafkaController + " postgres="
                    + postgres + " redis=" + redis + " kafkaRelayed=" + kafkaRelayed);
        }
    }

    /** Without a relayed Kafka listener. */
    public RuntimePorts(int kafka, int kafkaController, int postgres, int redis) {
        this(kafka, kafkaController, postgres, redis, RuntimeConfig.NO_KAFKA_RELAY);
    }

    /**
     * Resolves the configured ports: an explicit port wins, 0 takes the port remembered in the data
     * directory, or a free port on the first start. The result is written back, so the next start with
     * 0 comes back at the same addresses.
     */
    static RuntimePorts resolve(RuntimeConfig config) {
        Path file = config.dataDirectory().resolve(FILE_NAME);
        Properties remembered = load(file);
        Set<Integer> taken = new HashSet<>(List.of(config.kafkaPort(), config.kafkaControllerPort(),
                config.postgresPort(), config.redisPort(), config.kafkaRelayPort()));
        remembered.stringPropertyNames().forEach(key -> taken.add(parsePort(file, remembered, key)));
        RuntimePorts ports = new RuntimePorts(
                choose(config.kafkaPort(), file, remembered, KAFKA_KEY, taken),
                choose(config.kafkaControllerPort(), file, remembered, KAFKA_CONTROLLER_KEY, taken),
                choose(config.postgresPort(), file, remembered, POSTGRES_KEY, taken),
                choose(config.redisPort(), file, remembered, REDIS_KEY, taken),
                config.kafkaRelayPort() == RuntimeConfig.NO_KAFKA_RELAY ? RuntimeConfig.NO_KAFKA_RELAY
                        : Loopback.freePort(taken));
        ports.store(file);
        return ports;
    }

    private static int choose(int configured, Path file, Properties remembered, String key, Set<Integer> taken) {
        if (configured != RuntimeConfig.PICK_FREE_PORT) {
            return configured;
        }
        if (remembered.containsKey(key)) {
            return parsePort(file, remembered, key);
        }
        int port = Loopback.freePort(taken);
        taken.add(port);
        return port;
    }

    private static int parsePort(Path file, Properties remembered, String key) {
        String value = remembered.getProperty(key).trim();
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(file + ": " + key + " is not a port: '" + value + "'", e);
        }
    }

    private static Properties load(Path file) {
        Properties properties = new Properties();
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return properties;
    }

    private void store(Path file) {
        Properties properties = new Properties();
        properties.setProperty(KAFKA_KEY, Integer.toString(kafka));
        properties.setProperty(KAFKA_CONTROLLER_KEY, Integer.toString(kafkaController));
        properties.setProperty(POSTGRES_KEY, Integer.toString(postgres));
        properties.setProperty(REDIS_KEY, Integer.toString(redis));
        // Written beside and moved over the old file, so a crash mid-write never leaves half a file.
        Path temporary = file.resolveSibling(FILE_NAME + ".tmp");
        try {
            try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                properties.store(writer, "Ports of the Kassa embedded runtime; 0 in the config reuses these");
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
