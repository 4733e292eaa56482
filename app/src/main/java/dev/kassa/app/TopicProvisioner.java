package dev.kassa.app;

import dev.kassa.model.KafkaClientProperties;
import dev.kassa.model.Topic;
import dev.kassa.model.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Kassa's public topics with explicit partition counts and replication before any service
 * uses them. Kassa never relies on broker auto-creation: a topic born with the wrong partition count
 * would silently break co-partitioning. Creating a topic that exists is a no-op, so every service
 * may call this at start.
 */
public final class TopicProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration METADATA_RETRY_BACKOFF = Duration.ofMillis(50);

    private TopicProvisioner() {
    }

    /**
     * Ensures every topic of {@link Topics#all()} exists, creating a missing one with
     * {@code partitions} partitions, and returns how many partitions {@code payments.commands} has:
     * the count the topology must use for its repartition topics, which one task per partition reads
     * together with the commands. A topic's partition count is fixed once it exists, so a data
     * directory made with another count keeps it, whatever {@code partitions} says now.
     */
    public static int ensureTopics(String bootstrapServers, int partitions, short replicationFactor) {
        return ensureTopics(bootstrapServers, KafkaClientProperties.NONE, partitions, replicationFactor);
    }

    /** {@link #ensureTopics(String, int, short)} with {@code kafkaClient}'s settings (TLS, SASL) added to the admin client. */
    public static int ensureTopics(String bootstrapServers, KafkaClientProperties kafkaClient, int partitions,
                                   short replicationFactor) {
        if (partitions < 1 || replicationFactor < 1) {
            throw new IllegalArgumentException("partitions and replication factor must be positive: "
                    + partitions + ", " + replicationFactor);
        }
        try (Admin admin = Admin.create(adminProperties(bootstrapServers, kafkaClient))) {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            // card.results is read by the tasks that read payments.commands: it takes the commands' count.
            int resultPartitions = existing.contains(Topics.PAYMENTS_COMMANDS.name())
                    ? partitionsOf(admin, Topics.PAYMENTS_COMMANDS.name()) : partitions;
            List<NewTopic> missing = Topics.all().stream()
                    .map(Topic::name)
                    .filter(name -> !existing.contains(name))
                    .map(name -> newTopic(name, name.equals(Topics.CARD_RESULTS.name()) ? resultPartitions : partitions,
                            replicationFactor))
                    .collect(Collectors.toList());
            if (!missing.isEmpty()) {
                createIgnoringRaces(admin, missing);
                LOG.info("created topics {} with {} partitions", missing.stream().map(NewTopic::name).toList(), partitions);
            }
            String commands = Topics.PAYMENTS_COMMANDS.name();
            int commandPartitions = partitionsOf(admin, commands);
            if (commandPartitions != partitions) {
                LOG.info("{} has {} partitions (set when it was created), not {}; the topology uses {}", commands,
                        commandPartitions, partitions, commandPartitions);
            }
            return commandPartitions;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create Kassa's topics on " + bootstrapServers, e);
        }
    }

    /** The provisioning admin client's configuration, with {@code kafkaClient}'s settings added. */
    static Properties adminProperties(String bootstrapServers, KafkaClientProperties kafkaClient) {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return kafkaClient.addTo(properties, "the topic provisioner's admin client");
    }

    /**
     * {@code partitions} partitions, except {@code fraud.rules}: one partition, compacted, since it
     * holds one key whose newest value is all that matters, and every instance reads all of it.
     */
    private static NewTopic newTopic(String name, int partitions, short replicationFactor) {
        String minInSync = Integer.toString(Math.max(1, replicationFactor - 1));
        if (name.equals(Topics.FRAUD_RULES.name())) {
            return new NewTopic(name, 1, replicationFactor).configs(Map.of(
                    TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minInSync,
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        }
        return new NewTopic(name, partitions, replicationFactor)
                .configs(Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minInSync));
    }

    /**
     * How many partitions {@code topic} has. A topic created a moment ago is known to the controller
     * before every broker's metadata has it, and describing it then answers "unknown topic": asked
     * again until {@link #TIMEOUT}.
     */
    private static int partitionsOf(Admin admin, String topic)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                return admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).get(topic).partitions().size();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(METADATA_RETRY_BACKOFF.toMillis());
            }
        }
    }

    private static void createIgnoringRaces(Admin admin, List<NewTopic> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            admin.createTopics(topics).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            // Another service created the same topic between our listing and our request.
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                throw e;
            }
        }
    }
}
