package dev.kassa.app.e2e;

import dev.kassa.model.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one of Kassa's topics as an analyst's consumer would: {@code read_committed}, every
 * partition, from the beginning up to the last stable offsets taken when the read starts, with the
 * topic's own serdes from the registry and a client of its own, never through the code under test.
 */
final class CommittedRecords {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);

    private CommittedRecords() {
    }

    /** Every committed record of {@code topic}, in partition and offset order within each partition. */
    static <K, V> List<ConsumerRecord<K, V>> readAll(String bootstrapServers, Topic<K, V> topic) {
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "e2e-committed-records-" + UUID.randomUUID()),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), READ_TIMEOUT).stream()
                    .map(info -> new TopicPartition(topic.name(), info.partition()))
                    .toList();
            if (partitions.isEmpty()) {
                throw new IllegalStateException("topic " + topic.name() + " has no partitions");
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // read_committed: these are the last stable offsets, so every committed record before them is read.
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, READ_TIMEOUT);
            List<ConsumerRecord<K, V>> records = new ArrayList<>();
            Instant deadline = Instant.now().plus(READ_TIMEOUT);
            while (partitions.stream()
                    .anyMatch(partition -> consumer.position(partition, READ_TIMEOUT) < ends.get(partition))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("cannot read " + topic.name() + " up to " + ends + " within "
                            + READ_TIMEOUT);
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

    /** How many partitions {@code topic} has. */
    static int partitionCount(String bootstrapServers, Topic<?, ?> topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "e2e-partition-count-" + UUID.randomUUID()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            return consumer.partitionsFor(topic.name(), READ_TIMEOUT).size();
        }
    }

    /** The sum over {@code topic}'s partitions of their last stable offsets: it grows with every committed record. */
    static long committedEnd(String bootstrapServers, Topic<?, ?> topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "e2e-committed-end-" + UUID.randomUUID()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), READ_TIMEOUT).stream()
                    .map(info -> new TopicPartition(topic.name(), info.partition()))
                    .toList();
            return consumer.endOffsets(partitions, READ_TIMEOUT).values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
