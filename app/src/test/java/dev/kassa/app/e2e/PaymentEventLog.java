package dev.kassa.app.e2e;

import dev.kassa.model.PaymentEvent;
import dev.kassa.model.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
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
 * Reads {@code payments.events} as docs/events.md tells an analyst to: {@code read_committed}, every
 * partition from the beginning, up to the end offsets taken when the read starts, decoding each
 * value with the topic's own serde. Returns the events of the given payments in the order a
 * consumer sees them.
 */
final class PaymentEventLog {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);

    private PaymentEventLog() {
    }

    /** Per payment id of {@code paymentIds}, its events in the order they were read; each record's key is checked. */
    static Map<String, List<PaymentEvent>> eventsOf(String bootstrapServers, Collection<String> paymentIds) {
        Set<String> wanted = Set.copyOf(paymentIds);
        Map<String, List<PaymentEvent>> events = new LinkedHashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "e2e-payment-event-log"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            String topic = Topics.PAYMENTS_EVENTS.name();
            List<TopicPartition> partitions = consumer.partitionsFor(topic, READ_TIMEOUT).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, READ_TIMEOUT);
            Instant deadline = Instant.now().plus(READ_TIMEOUT);
            while (!reachedEnd(consumer, ends)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("cannot read " + topic + " up to " + ends + " within " + READ_TIMEOUT);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL_TIMEOUT)) {
                    if (wanted.contains(record.key())
                            && record.offset() < ends.get(new TopicPartition(record.topic(), record.partition()))) {
                        PaymentEvent event = Topics.PAYMENTS_EVENTS.valueSerde().deserializer()
                                .deserialize(topic, record.value());
                        if (!record.key().equals(event.paymentId())) {
                            throw new AssertionError("event " + event.eventId() + " of " + event.paymentId()
                                    + " is keyed " + record.key());
                        }
                        events.computeIfAbsent(record.key(), key -> new ArrayList<>()).add(event);
                    }
                }
            }
        }
        return events;
    }

    private static boolean reachedEnd(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey(), READ_TIMEOUT) < end.getValue()) {
                return false;
            }
        }
        return true;
    }
}
