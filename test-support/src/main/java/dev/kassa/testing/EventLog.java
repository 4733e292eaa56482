package dev.kassa.testing;

import dev.kassa.model.AccountEvent;
import dev.kassa.model.PaymentEvent;
import dev.kassa.model.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes ledger events to {@code accounts.events} and {@code payments.events} the way the topology
 * does: in Kafka transactions, serialized with the topics' own serdes, each to a partition the test
 * chooses. Remembers where every record landed, so tests can compute the offsets the sink must store.
 */
public final class EventLog implements AutoCloseable {

    /** One record in the log: where it is and the event id it carries (empty for undecodable bytes). */
    public record Sent(TopicPartition partition, long offset, Optional<String> eventId) {
    }

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaProducer<String, byte[]> producer;
    private final List<Future<RecordMetadata>> inFlight = new ArrayList<>();
    private final List<Optional<String>> inFlightEventIds = new ArrayList<>();

    /** A transactional, idempotent producer with {@code acks=all}, its transactions initialised. */
    public EventLog(String bootstrapServers, String transactionalId) {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) SEND_TIMEOUT.toMillis()),
                new StringSerializer(), new ByteArraySerializer());
        producer.initTransactions();
    }

    public void begin() {
        producer.beginTransaction();
    }

    public EventLog account(int partition, AccountEvent event) {
        String topic = Topics.ACCOUNTS_EVENTS.name();
        byte[] value = Topics.ACCOUNTS_EVENTS.valueSerde().serializer().serialize(topic, event);
        return send(new ProducerRecord<>(topic, partition, event.account().id(), value), Optional.of(event.eventId()));
    }

    public EventLog payment(int partition, PaymentEvent event) {
        String topic = Topics.PAYMENTS_EVENTS.name();
        byte[] value = Topics.PAYMENTS_EVENTS.valueSerde().serializer().serialize(topic, event);
        return send(new ProducerRecord<>(topic, partition, event.paymentId(), value), Optional.of(event.eventId()));
    }

    /** Bytes that are no event at all (or {@code null}, a tombstone), as a faulty producer might write. */
    public EventLog raw(String topic, int partition, String key, byte[] value) {
        return send(new ProducerRecord<>(topic, partition, key, value), Optional.empty());
    }

    /**
     * Waits until the records sent since the last flush are in the log, still uncommitted, and returns
     * where they landed; {@link #commit()} and {@link #abort()} then return only later records.
     */
    public List<Sent> flush() {
        return awaitSent();
    }

    /** Commits the open transaction and returns where its records since the last flush landed, in send order. */
    public List<Sent> commit() {
        List<Sent> sent = awaitSent();
        producer.commitTransaction();
        return sent;
    }

    /** Aborts the open transaction after its records reached the log; returns where those since the last flush landed. */
    public List<Sent> abort() {
        List<Sent> sent = awaitSent();
        producer.abortTransaction();
        return sent;
    }

    @Override
    public void close() {
        producer.close(SEND_TIMEOUT);
    }

    private EventLog send(ProducerRecord<String, byte[]> record, Optional<String> eventId) {
        inFlight.add(producer.send(record));
        inFlightEventIds.add(eventId);
        return this;
    }

    private List<Sent> awaitSent() {
        producer.flush();
        List<Sent> sent = new ArrayList<>();
        try {
            for (int i = 0; i < inFlight.size(); i++) {
                RecordMetadata metadata = inFlight.get(i).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                sent.add(new Sent(new TopicPartition(metadata.topic(), metadata.partition()), metadata.offset(),
                        inFlightEventIds.get(i)));
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("a record of the transaction was not written", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending a transaction", e);
        } finally {
            inFlight.clear();
            inFlightEventIds.clear();
        }
        return sent;
    }
}
