package dev.kassa.app.connector;

import dev.kassa.model.Bounds;
import dev.kassa.model.KafkaClientProperties;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Every setting of the card connector in one place, each with its default and bounds, checked at
 * construction; the Kafka settings exactly-once rests on ({@code isolation.level}, auto-commit off,
 * the transactional id, {@code acks}) are written out here.
 *
 * @param kafkaBootstrap  Kafka {@code bootstrap.servers}; required
 * @param kafkaClient     settings added to both Kafka clients (TLS, SASL); default none
 * @param processorUrl    the card processor's base URL ({@code --processor-url}); default {@code http://127.0.0.1:8090}
 * @param processorApiKey the processor's bearer key ({@code --processor-api-key}); required
 * @param concurrency     charges in flight at the processor at once ({@code --connector-concurrency}); 1–256, default 8
 * @param retryBackoffMin first wait before retrying an unknown outcome ({@code --connector-retry-backoff-min});
 *                        10 ms–1 min, default 200 ms; doubled at each retry of the same charge
 * @param retryBackoffMax longest wait between two attempts ({@code --connector-retry-backoff-max}); at least the
 *                        minimum, at most 10 min, default 30 s
 * @param requestTimeout  how long one processor request may take before its outcome is unknown; 1 s–10 min,
 *                        default 10 s
 * @param instanceId      this connector's name in its transactional id: a restarted connector with the same id
 *                        fences the one it replaces; 1–64 of {@code [A-Za-z0-9._-]}, default {@code connector-1}
 */
public record ConnectorSettings(String kafkaBootstrap, KafkaClientProperties kafkaClient, URI processorUrl,
                                String processorApiKey, int concurrency, Duration retryBackoffMin,
                                Duration retryBackoffMax, Duration requestTimeout, String instanceId) {

    /** The consumer group of every connector: its committed offsets are the charge requests answered. */
    public static final String GROUP_ID = "kassa-connector";
    public static final URI PROCESSOR_URL_DEFAULT = URI.create("http://127.0.0.1:8090");
    public static final int CONCURRENCY_DEFAULT = 8;
    public static final Duration RETRY_BACKOFF_MIN_DEFAULT = Duration.ofMillis(200);
    public static final Duration RETRY_BACKOFF_MAX_DEFAULT = Duration.ofSeconds(30);
    public static final Duration REQUEST_TIMEOUT_DEFAULT = Duration.ofSeconds(10);
    public static final String INSTANCE_ID_DEFAULT = "connector-1";

    public ConnectorSettings {
        Bounds.requireText("kafkaBootstrap", kafkaBootstrap);
        Objects.requireNonNull(kafkaClient, "kafkaClient");
        Objects.requireNonNull(processorUrl, "processorUrl");
        if (!"http".equals(processorUrl.getScheme()) && !"https".equals(processorUrl.getScheme())) {
            throw new IllegalArgumentException("processorUrl must be an http(s) URL: " + processorUrl);
        }
        if (processorApiKey == null || processorApiKey.isBlank()) {
            throw new IllegalArgumentException("processorApiKey is required (--processor-api-key or KASSA_PROCESSOR_API_KEY)");
        }
        Bounds.requireWithin("concurrency", concurrency, 1, 256);
        Bounds.requireWithin("retryBackoffMin", retryBackoffMin, Duration.ofMillis(10), Duration.ofMinutes(1));
        Bounds.requireWithin("retryBackoffMax", retryBackoffMax, retryBackoffMin, Duration.ofMinutes(10));
        Bounds.requireWithin("requestTimeout", requestTimeout, Duration.ofSeconds(1), Duration.ofMinutes(10));
        Bounds.requireText("instanceId", instanceId);
        if (!instanceId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("instanceId must be 1-64 of [A-Za-z0-9._-]: " + instanceId);
        }
    }

    /** Settings with every default but the servers and the processor's key. */
    public static ConnectorSettings of(String kafkaBootstrap, URI processorUrl, String processorApiKey) {
        return new ConnectorSettings(kafkaBootstrap, KafkaClientProperties.NONE, processorUrl, processorApiKey,
                CONCURRENCY_DEFAULT, RETRY_BACKOFF_MIN_DEFAULT, RETRY_BACKOFF_MAX_DEFAULT, REQUEST_TIMEOUT_DEFAULT,
                INSTANCE_ID_DEFAULT);
    }

    public ConnectorSettings withInstanceId(String id) {
        return new ConnectorSettings(kafkaBootstrap, kafkaClient, processorUrl, processorApiKey, concurrency,
                retryBackoffMin, retryBackoffMax, requestTimeout, id);
    }

    /**
     * The consumer of {@code card.charges}: {@code read_committed} (a charge the topology's transaction
     * aborted is never made), no auto-commit (offsets go in the producer's transaction, with the results),
     * at most {@code concurrency × 4} requests a poll (and read and unanswered at once, CardConnector).
     */
    Properties consumerProperties() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP_ID);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "kassa-" + instanceId + "-charges");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(concurrency * 4));
        // The connector polls while its charges are in flight, so polls come every few hundred ms; the bound
        // only catches a stuck connector, whose requests are then read again elsewhere, with the same keys.
        properties.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Long.toString(Duration.ofMinutes(10).toMillis()));
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        return kafkaClient.addTo(properties, "the connector's consumer");
    }

    /** The transactional producer of {@code card.results}: results and consumed offsets commit together. */
    Properties producerProperties() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "kassa-" + instanceId + "-results");
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "kassa-" + instanceId);
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
        return kafkaClient.addTo(properties, "the connector's producer");
    }
}
