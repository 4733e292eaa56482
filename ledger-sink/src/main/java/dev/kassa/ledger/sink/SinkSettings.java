package dev.kassa.ledger.sink;

import dev.kassa.ledger.postgres.LedgerWriter;
import dev.kassa.model.Bounds;
import dev.kassa.model.KafkaClientProperties;
import dev.kassa.model.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Every setting of the ledger sink, with its default and bounds, and the one place where the Kafka
 * consumer's properties are built ({@link #consumerProperties()}). The settings the sink's guarantee
 * rests on are set there explicitly, never left to a client default: {@code read_committed} (never
 * book an aborted transaction's event), no auto-commit (Postgres holds the offsets), and
 * {@code earliest} (a partition without a stored offset is read from its beginning, never skipped).
 * The producer that publishes dead letters to {@code kassa.dead-letter} is built here too
 * ({@link #deadLetterProducerProperties()}): idempotent, {@code acks=all}, and bounded in how long a
 * send may block or wait.
 *
 * @param bootstrapServers             Kafka bootstrap servers, e.g. {@code localhost:9092}
 * @param groupId                      consumer group; also the key of the offsets in {@code sink_offsets}
 * @param clientId                     Kafka client id, for broker logs and metrics
 * @param maxPollRecords               records one poll returns at most, 1..10,000 (default 2,000)
 * @param batchRowsMax                 rows one Postgres transaction writes at most, 100..200,000 (default 20,000);
 *                                     a poll is split into several transactions above it
 * @param writers                      transactions the sink writes side by side, one lane of partitions each,
 *                                     1..16 (default 2); each needs a connection of its own
 * @param pollTimeout                  how long one poll waits for records, 10 ms..10 s (default 500 ms)
 * @param retryBackoffMin              first wait after a failed batch, 10 ms..10 s (default 200 ms)
 * @param retryBackoffMax              longest wait between retries, retryBackoffMin..5 min (default 30 s)
 * @param unhealthyAfterFailures       consecutive failures after which the sink reports itself unhealthy, 1..1,000 (default 5)
 * @param maxPollInterval              Kafka's {@code max.poll.interval.ms}, 30 s..30 min (default 5 min); the sink
 *                                     polls while it backs off, so only one batch's write has to fit in it
 * @param closeTimeout                 how long {@link LedgerSink#close()} waits for the loop to stop, 1 s..5 min (default 15 s)
 * @param partitionMaintenanceInterval how often daily table partitions are created ahead, 1 min..24 h (default 1 h)
 * @param partitionDaysAhead           how many days ahead they are created, 1..366 (default 8)
 * @param groupInstanceId              static membership id in the consumer group, or {@code null} for dynamic
 *                                     membership (default)
 * @param keyRetention                 how long {@code idempotency_keys} keeps a payment's key, 1 s..366 d (default
 *                                     30 d); expired keys are purged a bounded number at a time
 * @param kafkaClient                  settings added to the consumer and the dead-letter producer, e.g. TLS and
 *                                     SASL ({@link KafkaClientProperties}); never one they set themselves
 */
public record SinkSettings(
        String bootstrapServers,
        String groupId,
        String clientId,
        int maxPollRecords,
        int batchRowsMax,
        int writers,
        Duration pollTimeout,
        Duration retryBackoffMin,
        Duration retryBackoffMax,
        int unhealthyAfterFailures,
        Duration maxPollInterval,
        Duration closeTimeout,
        Duration partitionMaintenanceInterval,
        int partitionDaysAhead,
        String groupInstanceId,
        Duration keyRetention,
        KafkaClientProperties kafkaClient) {

    public static final String GROUP_ID_DEFAULT = "kassa-ledger-sink";
    public static final int POLL_RECORDS_MAX_DEFAULT = 2_000;
    public static final int POLL_RECORDS_MAX_MAX = 10_000;
    public static final int BATCH_ROWS_MAX_DEFAULT = 20_000;
    public static final int BATCH_ROWS_MAX_MIN = 100;
    public static final int BATCH_ROWS_MAX_MAX = 200_000;
    public static final int WRITERS_DEFAULT = 2;
    public static final int WRITERS_MAX = 16;
    public static final Duration POLL_TIMEOUT_DEFAULT = Duration.ofMillis(500);
    public static final Duration RETRY_BACKOFF_MIN_DEFAULT = Duration.ofMillis(200);
    public static final Duration RETRY_BACKOFF_MAX_DEFAULT = Duration.ofSeconds(30);
    public static final int UNHEALTHY_AFTER_FAILURES_DEFAULT = 5;
    public static final Duration POLL_INTERVAL_MAX_DEFAULT = Duration.ofMinutes(5);
    public static final Duration CLOSE_TIMEOUT_DEFAULT = Duration.ofSeconds(15);
    public static final Duration PARTITION_MAINTENANCE_INTERVAL_DEFAULT = Duration.ofHours(1);
    public static final int PARTITION_DAYS_AHEAD_DEFAULT = 8;
    public static final Duration KEY_RETENTION_DEFAULT = LedgerWriter.KEY_RETENTION_DEFAULT;
    public static final Duration KEY_RETENTION_MAX = Duration.ofDays(366);

    /** How long a dead letter's send may take before it counts as failed and is retried by a later relay. */
    public static final Duration DEAD_LETTER_DELIVERY_TIMEOUT = Duration.ofSeconds(15);

    /**
     * How long a relay waits for its sends' acknowledgements: longer than the delivery timeout, so
     * every send has succeeded or failed when the relay marks rows published.
     */
    public static final Duration DEAD_LETTER_ACKNOWLEDGEMENT_WAIT = DEAD_LETTER_DELIVERY_TIMEOUT.plusSeconds(5);

    /** How long one send may block on the broker's metadata; a relay stops at the first send that did. */
    public static final Duration DEAD_LETTER_SEND_BLOCK_MAX = Duration.ofSeconds(5);

    /** The topics the sink reads, from the one topic registry. */
    public static final List<String> TOPICS = List.of(Topics.ACCOUNTS_EVENTS.name(), Topics.PAYMENTS_EVENTS.name());

    public SinkSettings {
        Bounds.requireText("bootstrapServers", bootstrapServers);
        Bounds.requireText("groupId", groupId);
        Bounds.requireText("clientId", clientId);
        Bounds.requireWithin("maxPollRecords", maxPollRecords, 1, POLL_RECORDS_MAX_MAX);
        Bounds.requireWithin("batchRowsMax", batchRowsMax, BATCH_ROWS_MAX_MIN, BATCH_ROWS_MAX_MAX);
        Bounds.requireWithin("writers", writers, 1, WRITERS_MAX);
        Bounds.requireWithin("pollTimeout", pollTimeout, Duration.ofMillis(10), Duration.ofSeconds(10));
        Bounds.requireWithin("retryBackoffMin", retryBackoffMin, Duration.ofMillis(10), Duration.ofSeconds(10));
        Bounds.requireWithin("retryBackoffMax", retryBackoffMax, retryBackoffMin, Duration.ofMinutes(5));
        Bounds.requireWithin("unhealthyAfterFailures", unhealthyAfterFailures, 1, 1_000);
        Bounds.requireWithin("maxPollInterval", maxPollInterval, Duration.ofSeconds(30), Duration.ofMinutes(30));
        Bounds.requireWithin("closeTimeout", closeTimeout, Duration.ofSeconds(1), Duration.ofMinutes(5));
        Bounds.requireWithin("partitionMaintenanceInterval", partitionMaintenanceInterval, Duration.ofMinutes(1),
                Duration.ofHours(24));
        Bounds.requireWithin("partitionDaysAhead", partitionDaysAhead, 1, 366);
        Bounds.requireWithin("keyRetention", keyRetention, Duration.ofSeconds(1), KEY_RETENTION_MAX);
        java.util.Objects.requireNonNull(kafkaClient, "kafkaClient");
    }

    /** A builder with every default filled in; {@code bootstrapServers} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The Kafka consumer's properties, built here and nowhere else. */
    public Properties consumerProperties() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        if (groupInstanceId != null) {
            properties.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, groupInstanceId);
        }
        // Safety: only committed events are booked; Postgres, not Kafka, holds the consumed offsets; a
        // partition without a stored offset starts at its beginning.
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Kassa creates its topics at start and never relies on auto-creation.
        properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPollRecords));
        properties.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Long.toString(maxPollInterval.toMillis()));
        // Values are decoded by the sink itself, so that an unreadable record becomes a dead letter
        // instead of an exception inside poll().
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return kafkaClient.addTo(properties, "the ledger sink's consumer");
    }

    /**
     * The dead-letter producer's properties, built here and nowhere else. Safety: {@code acks=all} and
     * idempotence, so an acknowledged dead letter is on every in-sync replica once, whatever the
     * producer retried; sends are bounded so a relay never holds the sink's loop for long.
     */
    public Properties deadLetterProducerProperties() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-dead-letters");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none"); // as every other Kassa producer
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(DEAD_LETTER_DELIVERY_TIMEOUT.toMillis()));
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(DEAD_LETTER_SEND_BLOCK_MAX.toMillis()));
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return kafkaClient.addTo(properties, "the ledger sink's dead-letter producer");
    }

    /** Builds {@link SinkSettings}; every field starts at its documented default. */
    public static final class Builder {
        private String bootstrapServers;
        private String groupId = GROUP_ID_DEFAULT;
        private String clientId = GROUP_ID_DEFAULT;
        private int maxPollRecords = POLL_RECORDS_MAX_DEFAULT;
        private int batchRowsMax = BATCH_ROWS_MAX_DEFAULT;
        private int writers = WRITERS_DEFAULT;
        private Duration pollTimeout = POLL_TIMEOUT_DEFAULT;
        private Duration retryBackoffMin = RETRY_BACKOFF_MIN_DEFAULT;
        private Duration retryBackoffMax = RETRY_BACKOFF_MAX_DEFAULT;
        private int unhealthyAfterFailures = UNHEALTHY_AFTER_FAILURES_DEFAULT;
        private Duration maxPollInterval = POLL_INTERVAL_MAX_DEFAULT;
        private Duration closeTimeout = CLOSE_TIMEOUT_DEFAULT;
        private Duration partitionMaintenanceInterval = PARTITION_MAINTENANCE_INTERVAL_DEFAULT;
        private int partitionDaysAhead = PARTITION_DAYS_AHEAD_DEFAULT;
        private String groupInstanceId;
        private Duration keyRetention = KEY_RETENTION_DEFAULT;
        private KafkaClientProperties kafkaClient = KafkaClientProperties.NONE;

        private Builder() {
        }

        public Builder bootstrapServers(String bootstrapServers) { this.bootstrapServers = bootstrapServers; return this; }
        public Builder groupId(String groupId) { this.groupId = groupId; return this; }
        public Builder clientId(String clientId) { this.clientId = clientId; return this; }
        public Builder maxPollRecords(int maxPollRecords) { this.maxPollRecords = maxPollRecords; return this; }
        public Builder batchRowsMax(int batchRowsMax) { this.batchRowsMax = batchRowsMax; return this; }
        public Builder writers(int writers) { this.writers = writers; return this; }
        public Builder pollTimeout(Duration pollTimeout) { this.pollTimeout = pollTimeout; return this; }
        public Builder retryBackoffMin(Duration retryBackoffMin) { this.retryBackoffMin = retryBackoffMin; return this; }
        public Builder retryBackoffMax(Duration retryBackoffMax) { this.retryBackoffMax = retryBackoffMax; return this; }
        public Builder unhealthyAfterFailures(int failures) { this.unhealthyAfterFailures = failures; return this; }
        public Builder maxPollInterval(Duration maxPollInterval) { this.maxPollInterval = maxPollInterval; return this; }
        public Builder closeTimeout(Duration closeTimeout) { this.closeTimeout = closeTimeout; return this; }
        public Builder partitionMaintenanceInterval(Duration interval) { this.partitionMaintenanceInterval = interval; return this; }
        public Builder partitionDaysAhead(int partitionDaysAhead) { this.partitionDaysAhead = partitionDaysAhead; return this; }

        /**
         * Static group membership: a restarted sink with the same id takes its partitions back at once
         * instead of waiting out the session timeout of the member it replaces. {@code null} (the
         * default) keeps dynamic membership.
         */
        public Builder groupInstanceId(String groupInstanceId) { this.groupInstanceId = groupInstanceId; return this; }

        public Builder keyRetention(Duration keyRetention) { this.keyRetention = keyRetention; return this; }

        /** Adds {@code kafkaClient} (TLS, SASL, …) to the consumer and the dead-letter producer. */
        public Builder kafkaClient(KafkaClientProperties kafkaClient) { this.kafkaClient = kafkaClient; return this; }

        /**
         * Checks every bound and builds the settings; throws {@link IllegalArgumentException} naming the
         * bad one, and refuses a Kafka client setting the consumer or the producer sets itself now, not
         * when the sink starts.
         */
        public SinkSettings build() {
            SinkSettings settings = new SinkSettings(bootstrapServers, groupId, clientId, maxPollRecords, batchRowsMax,
                    writers, pollTimeout, retryBackoffMin, retryBackoffMax, unhealthyAfterFailures, maxPollInterval,
                    closeTimeout, partitionMaintenanceInterval, partitionDaysAhead, groupInstanceId, keyRetention,
                    kafkaClient);
            settings.consumerProperties();
            settings.deadLetterProducerProperties();
            return settings;
        }
    }
}
