package dev.kassa.testing;

import dev.kassa.model.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads topics as an analyst's {@code read_committed} consumer sees them, with clients of its own and never
 * through the code under test: every committed record of every partition from the beginning up to the last
 * stable offsets taken when the read starts, or how far the committed part of a topic reaches (the sum of
 * its last stable offsets), which is how a test sees a process make progress.
 *
 * <p>An instance keeps one admin client for repeated questions (a crash test polls {@link #committedEnd});
 * the static methods answer one question on a client of their own, with the topic's serdes from the registry.
 */
public final class CommittedRecords implements AutoCloseable {

    /** How long a static read, or one admin request, may take. */
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);

    private final String bootstrapServers;
    private final String context;
    private final Admin admin;

    /** {@code context} starts every failure message, e.g. how to replay the run. */
    public CommittedRecords(String bootstrapServers, String context) {
        this.bootstrapServers = bootstrapServers;
        this.context = context;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** Every committed record of {@code topic}, in partition and offset order within each partition. */
    public static <K, V> List<ConsumerRecord<K, V>> readAll(String bootstrapServers, Topic<K, V> topic) {
        try (CommittedRecords records = new CommittedRecords(bootstrapServers, "reading " + topic.name())) {
            return records.readAll(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer(),
                    READ_TIMEOUT);
        }
    }

    /** How many partitions {@code topic} has. */
    public static int partitionCount(String bootstrapServers, Topic<?, ?> topic) {
        try (CommittedRecords records = new CommittedRecords(bootstrapServers, "describing " + topic.name())) {
            return records.partitions(topic.name()).size();
        }
    }

    /** {@link #committedEnd(String)} of {@code topic}, on a client of its own. */
    public static long committedEnd(String bootstrapServers, Topic<?, ?> topic) {
        try (CommittedRecords records = new CommittedRecords(bootstrapServers, "listing " + topic.name())) {
            return records.committedEnd(topic.name());
        }
    }

    /**
     * The sum over the partitions of {@code topic} of its last stable offset: grows with every committed
     * transaction (records and their commit markers), stands still while nothing commits.
     */
    public long committedEnd(String topic) {
        Map<TopicPartition, OffsetSpec> latest = partitions(topic).stream()
                .collect(Collectors.toMap(partition -> partition, partition -> OffsetSpec.latest()));
        return await("list the offsets of " + topic,
                admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all())
                .values().stream().mapToLong(info -> info.offset()).sum();
    }

    /** Every committed record of {@code topic} as bytes, from the beginning to its last stable offsets now. */
    public List<ConsumerRecord<byte[], byte[]>> readAll(String topic, Duration timeout) {
        return readAll(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer(), timeout);
    }

    /** Every committed record of {@code topic}, from the beginning to its last stable offsets now. */
    public <K, V> List<ConsumerRecord<K, V>> readAll(String topic, Deserializer<K> keys, Deserializer<V> values,
            Duration timeout) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "committed-records-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(config, keys, values)) {
            List<TopicPartition> partitions = partitions(topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // read_committed: these are the last stable offsets, so every committed record before them is read.
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            List<ConsumerRecord<K, V>> records = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition, timeout) < ends.get(partition))) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError(context + ": could not read " + topic + " to its committed end " + ends
                            + " within " + timeout);
                }
                for (ConsumerRecord<K, V> record : consumer.poll(POLL_TIMEOUT)) {
                    if (record.offset() < ends.get(new TopicPartition(record.topic(), record.partition()))) {
                        records.add(record);
                    }
                }
            }
            return records;
        }
    }

    private List<TopicPartition> partitions(String topic) {
        List<TopicPartition> partitions = await("describe " + topic,
                admin.describeTopics(List.of(topic)).allTopicNames()).get(topic).partitions().stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        if (partitions.isEmpty()) {
            throw new IllegalStateException(context + ": topic " + topic + " has no partitions");
        }
        return partitions;
    }

    private <T> T await(String what, KafkaFuture<T> future) {
        try {
            return future.get(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(context + ": cannot " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(context + ": interrupted while trying to " + what, e);
        }
    }

    @Override
    public void close() {
        admin.close(READ_TIMEOUT);
    }
}
