package dev.kassa.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigException;

/**
 * Kafka client settings an operator adds to every Kassa client — the API's producer, outcome
 * consumer and readiness admin, the topology's Kafka Streams client, the ledger sink's consumer and
 * dead-letter producer, {@code kassa rules push}'s producer and the topic provisioner — read from a
 * file in the format of Kafka's own {@code client.properties} ({@code --command-config}): mostly
 * {@code security.protocol}, {@code ssl.*} and {@code sasl.*} (docs/architecture.md, Connections).
 *
 * <p>The file may add settings, never change the ones exactly-once rests on: a key of
 * {@link #RESERVED}, with or without a client prefix such as {@code producer.}, is refused when the
 * file is read, and a key a client sets itself is refused when that client's properties are built
 * ({@link #addTo(Properties, String)}). Values are checked by Kafka's own {@code ConfigDef}, so an
 * unknown {@code security.protocol} is refused with Kafka's message before any client starts.
 * {@link #toString()} names the keys only: {@code sasl.jaas.config} holds a password.
 *
 * @param source  where the settings came from (the file's path), for messages
 * @param entries the settings, key to value
 */
public record KafkaClientProperties(String source, Map<String, String> entries) {

    /** No settings added: plaintext, as {@code kassa dev} runs. */
    public static final KafkaClientProperties NONE = new KafkaClientProperties("none", Map.of());

    /**
     * Keys the file may not set, with or without a prefix: where the clients connect and which group
     * they are, and every setting the exactly-once guarantee or the sink's offsets rely on.
     */
    public static final List<String> RESERVED = List.of(
            CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "application.id", CommonClientConfigs.GROUP_ID_CONFIG,
            "processing.guarantee", "isolation.level", "enable.idempotence", "acks", "transactional.id",
            "enable.auto.commit", "auto.offset.reset", "max.in.flight.requests.per.connection");

    /** A file that cannot be read or holds settings Kassa refuses; the message names the file and the key. */
    public static final class InvalidException extends IllegalArgumentException {
        InvalidException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public KafkaClientProperties {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(entries, "entries");
        entries = Collections.unmodifiableMap(new TreeMap<>(entries));
        for (String key : entries.keySet()) {
            String reserved = reservedKeyOf(key);
            if (reserved != null) {
                throw new InvalidException("Kafka client properties " + source + ": " + key + " is not allowed; Kassa"
                        + " sets " + reserved + " itself, since " + why(reserved), null);
            }
        }
        validateValues(source, entries);
    }

    /**
     * Reads {@code file} as Java properties, exactly as Kafka's own tools read {@code --command-config}
     * ({@code Properties.load} of the bytes, in ISO 8859-1), so one file
     * serves both.
     *
     * @throws InvalidException when the file cannot be read, sets a reserved key or a value Kafka refuses
     */
    public static KafkaClientProperties load(Path file) {
        Objects.requireNonNull(file, "file");
        Properties read = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            read.load(in);
        } catch (NoSuchFileException e) {
            throw new InvalidException("cannot read Kafka client properties file " + file + ": no such file", e);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidException("cannot read Kafka client properties file " + file + ": " + e, e);
        }
        Map<String, String> entries = new HashMap<>();
        read.stringPropertyNames().forEach(key -> entries.put(key, read.getProperty(key)));
        return new KafkaClientProperties(file.toString(), entries);
    }

    /**
     * Adds these settings to {@code own}, the properties Kassa built for one client, which keep every
     * value they have: a key both set is refused rather than silently dropped.
     *
     * @param client the client, for the message, e.g. {@code "the API's command producer"}
     * @return {@code own}
     * @throws InvalidException when the file sets a key the client sets itself
     */
    public Properties addTo(Properties own, String client) {
        for (Map.Entry<String, String> entry : entries.entrySet()) {
            if (own.containsKey(entry.getKey())) {
                throw new InvalidException("Kafka client properties " + source + ": " + entry.getKey()
                        + " is set by Kassa for " + client + " and cannot be changed", null);
            }
            own.put(entry.getKey(), entry.getValue());
        }
        return own;
    }

    /** The reserved key {@code key} sets, e.g. {@code acks} for {@code producer.acks}; null for none. */
    private static String reservedKeyOf(String key) {
        for (String reserved : RESERVED) {
            if (key.equals(reserved) || key.endsWith("." + reserved)) {
                return reserved;
            }
        }
        return null;
    }

    private static String why(String reserved) {
        return switch (reserved) {
            case CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG -> "--kafka-bootstrap (KASSA_KAFKA_BOOTSTRAP) names the cluster";
            case "application.id", CommonClientConfigs.GROUP_ID_CONFIG -> "the groups and their offsets are Kassa's";
            default -> "exactly-once processing depends on it";
        };
    }

    /**
     * Kafka's own validation of the settings every client shares ({@code security.protocol},
     * {@code ssl.*}, {@code sasl.*}, …), with its message; keys it does not know are checked by the
     * client that uses them.
     */
    private static void validateValues(String source, Map<String, String> entries) {
        if (entries.isEmpty()) {
            return;
        }
        Map<String, Object> candidate = new HashMap<>(entries);
        candidate.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "validation.invalid:9092");
        try {
            AdminClientConfig.configDef().parse(candidate);
        } catch (ConfigException e) {
            throw new InvalidException("Kafka client properties " + source + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "KafkaClientProperties[" + source + ", keys=" + entries.keySet() + "]";
    }
}
