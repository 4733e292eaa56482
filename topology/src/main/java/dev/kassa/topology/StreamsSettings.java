package dev.kassa.topology;

import dev.kassa.model.Bounds;
import dev.kassa.model.KafkaClientProperties;
import dev.kassa.model.Topics;
import dev.kassa.topology.errors.CommandStageFailureHandler;
import dev.kassa.topology.errors.UnreadableRecordHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DefaultProductionExceptionHandler;

/**
 * The one place where the topology's Kafka Streams configuration is made. Every safety-critical
 * key is set explicitly by {@link #toProperties()} rather than left to a library default, and the
 * few knobs that differ between the embedded dev runtime and production are the fields of this
 * record, each bounded at construction.
 *
 * @param applicationId     {@code application.id}: consumer group, transactional id prefix and
 *                          internal topic prefix; changing it starts the topology from scratch
 * @param bootstrapServers  {@code bootstrap.servers}: comma-separated {@code host:port} list
 * @param stateDir          {@code state.dir}: where RocksDB keeps the stores; per instance
 * @param replicationFactor {@code replication.factor} of changelog and repartition topics; 1 only
 *                          on the single embedded broker, 3 in production
 * @param minInSyncReplicas {@code min.insync.replicas} of those topics; with {@code acks=all} a
 *                          write succeeds only once this many replicas have it
 * @param commitInterval    {@code commit.interval.ms}: how often a transaction commits; the
 *                          latency of each hop, since downstream reads only committed records
 * @param streamThreads     {@code num.stream.threads} of this instance
 * @param standbyReplicas   {@code num.standby.replicas}: warm copies of each store for failover
 * @param closeTimeout      how long {@link KassaStreams#close()} waits for a clean shutdown
 * @param groupInstanceId   static membership id of this instance in the consumer group, or
 *                          {@code null} for dynamic membership
 * @param applicationServer {@code application.server}: the {@code host:port} where this instance
 *                          answers interactive queries, which every instance learns so that it can
 *                          name a key's owner; {@code null} when the instance serves none
 * @param kafkaClient       settings added to the Kafka Streams client and so to every client it
 *                          makes, e.g. TLS and SASL ({@link KafkaClientProperties}); never one of
 *                          those {@link #toProperties()} sets
 */
public record StreamsSettings(
        String applicationId,
        String bootstrapServers,
        Path stateDir,
        int replicationFactor,
        int minInSyncReplicas,
        Duration commitInterval,
        int streamThreads,
        int standbyReplicas,
        Duration closeTimeout,
        String groupInstanceId,
        String applicationServer,
        KafkaClientProperties kafkaClient) {

    public static final String APPLICATION_ID_DEFAULT = "kassa-topology";
    /**
     * The longest a processed command waits for its transaction to commit when commands arrive faster
     * than a task commits them one by one; a command after a quiet spell asks for a commit at once
     * (the dedupe stage's {@code CommitPacer}). Long enough that a commit under load carries many
     * payments, since each is a transaction with a marker on every partition it touched and
     * coordinator round trips; short enough that clients waiting for their commits keep the machine
     * busy (docs/architecture.md, Commits).
     */
    public static final Duration COMMIT_INTERVAL_DEFAULT = Duration.ofMillis(50);
    /** Must stay well below the Streams EOS producer's 10 s {@code transaction.timeout.ms}. */
    public static final Duration COMMIT_INTERVAL_MAX = Duration.ofSeconds(5);
    public static final Duration CLOSE_TIMEOUT_DEFAULT = Duration.ofSeconds(30);
    public static final Duration CLOSE_TIMEOUT_MAX = Duration.ofMinutes(5);
    /** One replica: the single embedded broker's; production raises it (and {@code minInSyncReplicas}). */
    public static final int REPLICATION_FACTOR_DEFAULT = 1;
    public static final int REPLICATION_FACTOR_MAX = 7;
    public static final int IN_SYNC_REPLICAS_MIN_DEFAULT = 1;
    /**
     * Two: each stream thread commits its own transactions, and a thread spends about a third of its
     * time waiting for its commit's writes to be acknowledged; a second thread processes meanwhile
     * (docs/architecture.md, Commits, with its measurement).
     */
    public static final int STREAM_THREADS_DEFAULT = 2;
    public static final int STREAM_THREADS_MAX = 64;
    public static final int STANDBY_REPLICAS_DEFAULT = 0;
    public static final int STANDBY_REPLICAS_MAX = 3;
    /**
     * {@code compression.type} of the topology's producer: none, since a commit's batches hold a few
     * records per partition and a compressed batch costs a compressor's set-up here and a
     * decompression at the broker (docs/architecture.md).
     */
    public static final String COMPRESSION_TYPE = "none";
    private static final Set<String> WILDCARD_HOSTS = Set.of("0.0.0.0", "::", "[::]");

    public StreamsSettings {
        Bounds.requireText("applicationId", applicationId);
        Bounds.requireText("bootstrapServers", bootstrapServers);
        Objects.requireNonNull(stateDir, "stateDir");
        Bounds.requireWithin("replicationFactor", replicationFactor, 1, REPLICATION_FACTOR_MAX);
        Bounds.requireWithin("minInSyncReplicas", minInSyncReplicas, 1, replicationFactor);
        Bounds.requireWithin("commitInterval", commitInterval, Duration.ofMillis(1), COMMIT_INTERVAL_MAX);
        Bounds.requireWithin("streamThreads", streamThreads, 1, STREAM_THREADS_MAX);
        Bounds.requireWithin("standbyReplicas", standbyReplicas, 0, STANDBY_REPLICAS_MAX);
        Bounds.requireWithin("closeTimeout", closeTimeout, Duration.ofMillis(1), CLOSE_TIMEOUT_MAX);
        if (applicationServer != null) {
            requireHostAndPort(applicationServer);
        }
        Objects.requireNonNull(kafkaClient, "kafkaClient");
    }

    /**
     * A builder with every default filled in: one instance against a single broker, as {@code kassa dev}
     * runs it (replication factor 1, no standby); {@code bootstrapServers} and {@code stateDir} are
     * required. Production raises the replication with {@link Builder#replication(int, int)}.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** The Kafka Streams configuration, for {@code KafkaStreams}, the topology builder and TopologyTestDriver alike. */
    public Properties toProperties() {
        Properties props = new Properties();
        // Identity and placement.
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, standbyReplicas);
        if (groupInstanceId != null) {
            props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), groupInstanceId);
        }
        if (applicationServer != null) {
            props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        }
        // Exactly once: balance writes, offsets and emitted events commit in one transaction.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
        // Durability of internal topics (changelogs, repartitions); never the broker's default.
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replicationFactor);
        props.put(StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG), minInSyncReplicas);
        // EOS implies both; set anyway so no reader has to know that.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
        // Transactions v2: the broker holds a write racing the previous commit's markers until they
        // are written (add.partitions.to.txn.retry.backoff.max.ms, see EmbeddedKafka). When a broker
        // gives up anyway, the client retries on CONCURRENT_TRANSACTIONS, and its 100 ms default
        // backoff would stall the whole hop for five commits.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), 5);
        // Set, not left to the default, so that no reader has to know it.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), COMPRESSION_TYPE);
        // One task reads commands and credits: 0 makes it fetch a partition's records already on the
        // broker before it processes a later-stamped record of another, so a payment's credit is
        // applied before a refund of it (docs/architecture.md, Refunds). Never -1.
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, 0L);
        putErrorHandling(props);
        // The topology is built exactly as written, and every internal topic and store is named by us:
        // an optimizer or a generated name could change them between releases and orphan the state.
        props.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.NO_OPTIMIZATION);
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        return kafkaClient.addTo(props, "the topology's Kafka Streams client");
    }

    /** Rejects what Kafka Streams would reject only at start, or accept and advertise uselessly. */
    private static void requireHostAndPort(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String host = colon < 0 ? "" : hostPort.substring(0, colon);
        String port = colon < 0 ? "" : hostPort.substring(colon + 1);
        if (host.isBlank() || !port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1
                || Integer.parseInt(port) > 65_535) {
            throw new IllegalArgumentException("applicationServer must be host:port with a port within 1..65535: "
                    + hostPort);
        }
        if (WILDCARD_HOSTS.contains(host)) {
            throw new IllegalArgumentException("applicationServer must name a host others can connect to, not the"
                    + " wildcard address " + host + ": " + hostPort);
        }
    }

    /**
     * An unreadable command, or one that the dedupe or initiate stage fails on before any money
     * moves, is written to the dead letter topic, raw key and value with the exception, message,
     * topic, partition and offset in {@code __streams.errors.*} headers, inside the same transaction,
     * and processing continues: one bad record must not stop every payment. An unreadable internal
     * record, a record that cannot be written, or a ledger stage that throws (a broken invariant)
     * stops the task instead, so nothing is committed past it.
     */
    private static void putErrorHandling(Properties props) {
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.DEAD_LETTER.name());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, UnreadableRecordHandler.class);
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DefaultProductionExceptionHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, CommandStageFailureHandler.class);
        // The global thread (the fraud rules) answers to the same handler, which fails it: its updater
        // only copies bytes, so a failure there is Kafka's own, and a rule set must never be skipped.
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    }

    /** Builds {@link StreamsSettings}; every field starts at its documented default. */
    public static final class Builder {
        private String applicationId = APPLICATION_ID_DEFAULT;
        private String bootstrapServers;
        private Path stateDir;
        private int replicationFactor = REPLICATION_FACTOR_DEFAULT;
        private int minInSyncReplicas = IN_SYNC_REPLICAS_MIN_DEFAULT;
        private Duration commitInterval = COMMIT_INTERVAL_DEFAULT;
        private int streamThreads = STREAM_THREADS_DEFAULT;
        private int standbyReplicas = STANDBY_REPLICAS_DEFAULT;
        private Duration closeTimeout = CLOSE_TIMEOUT_DEFAULT;
        private String groupInstanceId;
        private String applicationServer;
        private KafkaClientProperties kafkaClient = KafkaClientProperties.NONE;

        private Builder() {
        }

        public Builder applicationId(String applicationId) { this.applicationId = applicationId; return this; }
        public Builder bootstrapServers(String bootstrapServers) { this.bootstrapServers = bootstrapServers; return this; }
        public Builder stateDir(Path stateDir) { this.stateDir = stateDir; return this; }

        /** The replication factor of the internal topics and their {@code min.insync.replicas}. */
        public Builder replication(int factor, int minInSync) {
            this.replicationFactor = factor;
            this.minInSyncReplicas = minInSync;
            return this;
        }

        public Builder commitInterval(Duration commitInterval) { this.commitInterval = commitInterval; return this; }
        public Builder streamThreads(int streamThreads) { this.streamThreads = streamThreads; return this; }
        public Builder standbyReplicas(int standbyReplicas) { this.standbyReplicas = standbyReplicas; return this; }
        public Builder closeTimeout(Duration closeTimeout) { this.closeTimeout = closeTimeout; return this; }

        /**
         * Static group membership: a restarted instance with the same id takes its partitions back at
         * once instead of waiting out the session timeout of the member it replaces (after
         * {@code kill -9}). Kafka Streams appends each stream thread's index. {@code null} (the default)
         * keeps dynamic membership.
         */
        public Builder groupInstanceId(String groupInstanceId) { this.groupInstanceId = groupInstanceId; return this; }

        /**
         * Advertises {@code hostPort} as this instance's {@code application.server}: Kafka Streams tells
         * every instance which host owns which key, and the state endpoint sends a caller there. It must
         * be an address other instances and operators can connect to, so never a wildcard such as
         * {@code 0.0.0.0}. {@code null} (the default) advertises nothing.
         */
        public Builder applicationServer(String hostPort) { this.applicationServer = hostPort; return this; }

        /**
         * Adds {@code kafkaClient} (TLS, SASL, …) to every Kafka client of the topology. The exactly-once
         * settings stay: {@link KafkaClientProperties} refuses them, and {@link #build()} refuses any key
         * {@link StreamsSettings#toProperties()} sets itself.
         */
        public Builder kafkaClient(KafkaClientProperties kafkaClient) { this.kafkaClient = kafkaClient; return this; }

        /** Checks every bound and builds the settings; throws {@link IllegalArgumentException} naming the bad one. */
        public StreamsSettings build() {
            StreamsSettings settings = new StreamsSettings(applicationId, bootstrapServers, stateDir, replicationFactor,
                    minInSyncReplicas, commitInterval, streamThreads, standbyReplicas, closeTimeout, groupInstanceId,
                    applicationServer, kafkaClient);
            settings.toProperties(); // refuses a key the topology sets itself now, not when the topology starts
            return settings;
        }
    }
}
