package dev.kassa.bench.drain;

import dev.kassa.model.Ids;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentEvent;
import dev.kassa.model.Refund;
import dev.kassa.model.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Makes the drain's backlog longer than the runs made it: appends {@code copies} copies of every event
 * {@code payments.events} holds, each copy a payment of its own (new payment, event and refund ids,
 * derived from the originals' with their creation times, so each lands on the same day; its
 * idempotency key suffixed with the copy's number), and the same accounts, amounts and order. A
 * payment's copies are keyed by their new id, so each copy's events stay in order on one partition.
 * The live sink books them like any other events, so the replayed ledger must still equal the live
 * one; every account ends with {@code copies + 1} times its balance, so no balance goes negative at
 * rest. A bench tool only: the events bypass the topology.
 */
final class BacklogCopies {

    /** Copies one drain may append. */
    static final int COPIES_MAX = 1_000;
    private static final Duration POLL = Duration.ofMillis(500);

    private BacklogCopies() {
    }

    /**
     * Appends the copies.
     *
     * @param timeout how long reading the log may take
     * @return the end offset of each partition of {@code payments.events} once they are published, by
     *         {@code topic-partition}
     */
    static Map<String, Long> append(String kafkaBootstrap, int copies, Duration timeout) {
        if (copies < 1 || copies > COPIES_MAX) {
            throw new IllegalArgumentException("copies must be within 1.." + COPIES_MAX + ": " + copies);
        }
        List<PaymentEvent> log = readAll(kafkaBootstrap, timeout);
        var serializer = Topics.PAYMENTS_EVENTS.valueSerde().serializer();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(kafkaBootstrap))) {
            for (int copy = 1; copy <= copies; copy++) {
                for (PaymentEvent event : log) {
                    PaymentEvent copied = copy(event, copy);
                    producer.send(new ProducerRecord<>(Topics.PAYMENTS_EVENTS.name(),
                            copied.paymentId().getBytes(StandardCharsets.UTF_8),
                            serializer.serialize(Topics.PAYMENTS_EVENTS.name(), copied)));
                }
            }
            producer.flush();
        }
        return endOffsets(kafkaBootstrap, timeout);
    }

    /** Copy number {@code copy} of {@code event}: the same event about a payment of its own. */
    static PaymentEvent copy(PaymentEvent event, int copy) {
        Payment payment = copy(event.payment(), copy);
        Refund refund = event.refund() == null ? null : new Refund(copiedId(Ids.REFUND, event.refund().created(),
                event.refund().id(), copy), payment.id(), event.refund().merchantId(),
                event.refund().idempotencyKey() + "~" + copy, event.refund().requestFingerprint(), event.refund().amount(),
                event.refund().currency(), event.refund().status(), event.refund().failureCode(), event.refund().created());
        return new PaymentEvent(event.schemaVersion(), copiedId(Ids.EVENT, event.occurredAt(), event.eventId(), copy),
                event.type(), payment.id(), event.merchantId(), event.sequence(), event.occurredAt(), payment,
                event.entries(), refund);
    }

    private static Payment copy(Payment payment, int copy) {
        return new Payment(copiedId(Ids.PAYMENT, payment.created(), payment.id(), copy), payment.merchantId(),
                payment.idempotencyKey() + "~" + copy, payment.requestFingerprint(), payment.kind(), payment.status(),
                payment.amount(), payment.currency(), payment.source(), payment.destination(), payment.amountRefunded(),
                payment.description(), payment.metadata(), payment.fraud(), payment.failureCode(), payment.created());
    }

    private static String copiedId(String prefix, Instant created, String original, int copy) {
        return Ids.derived(prefix, created, original + "~copy-" + copy);
    }

    private static List<PaymentEvent> readAll(String kafkaBootstrap, Duration timeout) {
        var deserializer = Topics.PAYMENTS_EVENTS.valueSerde().deserializer();
        List<PaymentEvent> events = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(kafkaBootstrap))) {
            List<TopicPartition> partitions = partitions(consumer, timeout);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, timeout));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read payments.events to its end within " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    events.add(Objects.requireNonNull(deserializer.deserialize(record.topic(), record.value()),
                            "an event without a value"));
                }
            }
        }
        return events;
    }

    private static Map<String, Long> endOffsets(String kafkaBootstrap, Duration timeout) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(kafkaBootstrap))) {
            Map<String, Long> end = new HashMap<>();
            consumer.endOffsets(partitions(consumer, timeout), timeout)
                    .forEach((partition, offset) -> end.put(partition.topic() + "-" + partition.partition(), offset));
            return end;
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, Duration timeout) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(Topics.PAYMENTS_EVENTS.name(), timeout)) {
            partitions.add(new TopicPartition(info.topic(), info.partition()));
        }
        return partitions;
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private static Properties consumerProperties(String kafkaBootstrap) {
        return properties(kafkaBootstrap, Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
    }

    private static Properties producerProperties(String kafkaBootstrap) {
        return properties(kafkaBootstrap, Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.LINGER_MS_CONFIG, "20",
                ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
    }

    private static Properties properties(String kafkaBootstrap, Map<String, String> settings) {
        Properties properties = new Properties();
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        properties.putAll(settings);
        return properties;
    }
}
