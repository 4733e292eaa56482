package dev.kassa.app.e2e;

import dev.kassa.model.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads {@code payments.commands} the way a downstream consumer would ({@code read_committed}, every
 * partition, from the beginning up to the end offsets taken when the read starts), to show what the
 * API did or did not publish.
 */
final class CommandLog {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);

    private CommandLog() {
    }

    /** The keys of every command whose key starts with {@code prefix}, in partition and offset order. */
    static List<String> keysStartingWith(String bootstrapServers, String prefix) {
        List<String> keys = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "e2e-command-log"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            String topic = Topics.PAYMENTS_COMMANDS.name();
            List<TopicPartition> partitions = consumer.partitionsFor(topic, READ_TIMEOUT).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            if (partitions.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " has no partitions");
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // read_committed: these are the last stable offsets, so every committed record before them is read.
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, READ_TIMEOUT);
            Instant deadline = Instant.now().plus(READ_TIMEOUT);
            while (!reachedEnd(consumer, ends)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException(
                            "cannot read " + topic + " up to " + ends + " within " + READ_TIMEOUT);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL_TIMEOUT)) {
                    if (record.key() != null && record.key().startsWith(prefix)
                            && record.offset() < ends.get(new TopicPartition(record.topic(), record.partition()))) {
                        keys.add(record.key());
                    }
                }
            }
        }
        return keys;
    }

    private static boolean reachedEnd(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> ends) {
        Set<TopicPartition> partitions = ends.keySet();
        for (TopicPartition partition : partitions) {
            if (consumer.position(partition, READ_TIMEOUT) < ends.get(partition)) {
                return false;
            }
        }
        return true;
    }
}
