package dev.kassa.app.e2e;

import dev.kassa.model.Payment;
import dev.kassa.model.PaymentEvent;
import dev.kassa.model.PaymentKind;
import dev.kassa.model.Topic;
import dev.kassa.model.Topics;
import dev.kassa.testing.CommittedRecords;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Utils;

/**
 * Reads {@code payments.events} as docs/events.md tells an analyst to ({@link CommittedRecords}:
 * {@code read_committed}, every partition from the beginning) and decodes the events of the given
 * payments with the topic's own serde, in the order a consumer sees them. Other records stay bytes,
 * so a record that is no event, set aside by the sink, cannot fail an unrelated read.
 */
final class PaymentEventLog {

    private static final Topic<String, byte[]> RAW =
            new Topic<>(Topics.PAYMENTS_EVENTS.name(), Serdes.String(), Serdes.ByteArray());

    private PaymentEventLog() {
    }

    /**
     * Per payment id of {@code paymentIds}, its events in the order they were read. Each record's key
     * is checked to be its payment id, and its partition to be the one docs/events.md promises: the
     * partition Kafka's default partitioner gives the account the payment is decided at (its source;
     * a deposit's, the account it credits), whichever task wrote the event.
     */
    static Map<String, List<PaymentEvent>> eventsOf(String bootstrapServers, Collection<String> paymentIds) {
        Set<String> wanted = Set.copyOf(paymentIds);
        Map<String, List<PaymentEvent>> events = new LinkedHashMap<>();
        int partitions = CommittedRecords.partitionCount(bootstrapServers, RAW);
        for (ConsumerRecord<String, byte[]> record : CommittedRecords.readAll(bootstrapServers, RAW)) {
            if (!wanted.contains(record.key())) {
                continue;
            }
            PaymentEvent event = Topics.PAYMENTS_EVENTS.valueSerde().deserializer().deserialize(RAW.name(), record.value());
            if (!record.key().equals(event.paymentId())) {
                throw new AssertionError("event " + event.eventId() + " of " + event.paymentId() + " is keyed "
                        + record.key());
            }
            Payment payment = event.payment();
            String decidedAt = payment.kind() == PaymentKind.DEPOSIT ? payment.destination() : payment.source();
            int expected = Utils.toPositive(Utils.murmur2(decidedAt.getBytes(StandardCharsets.UTF_8))) % partitions;
            if (record.partition() != expected) {
                throw new AssertionError("event " + event.eventId() + " (" + event.type() + ") of " + event.paymentId()
                        + " is on partition " + record.partition() + ", not on " + expected + " of account " + decidedAt);
            }
            events.computeIfAbsent(record.key(), key -> new ArrayList<>()).add(event);
        }
        return events;
    }
}
