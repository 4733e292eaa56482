package dev.kassa.app.crash;

import dev.kassa.model.Command;
import dev.kassa.model.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes commands to {@code payments.commands} as the ingest API does: an idempotent producer with
 * {@code acks=all}, each command keyed by {@link Command#routingKey()} and serialized with the topic's serde.
 */
final class CommandProducer implements AutoCloseable {

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
    private static final String TOPIC = Topics.PAYMENTS_COMMANDS.name();

    private final KafkaProducer<String, byte[]> producer;
    private final List<Future<RecordMetadata>> inFlight = new ArrayList<>();

    CommandProducer(String bootstrapServers) {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) SEND_TIMEOUT.toMillis()),
                new StringSerializer(), new ByteArraySerializer());
    }

    CommandProducer send(Command command) {
        byte[] value = Topics.PAYMENTS_COMMANDS.valueSerde().serializer().serialize(TOPIC, command);
        inFlight.add(producer.send(new ProducerRecord<>(TOPIC, command.routingKey(), value)));
        return this;
    }

    /** Bytes that are no command, as a faulty client might publish them. */
    CommandProducer sendRaw(String key, byte[] value) {
        inFlight.add(producer.send(new ProducerRecord<>(TOPIC, key, value)));
        return this;
    }

    /** Waits until every command sent so far is acknowledged; returns where they landed, in send order. */
    List<RecordMetadata> flush() {
        producer.flush();
        List<RecordMetadata> written = new ArrayList<>();
        try {
            for (Future<RecordMetadata> sent : inFlight) {
                written.add(sent.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("a command was not acknowledged by the broker", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing commands", e);
        } finally {
            inFlight.clear();
        }
        return written;
    }

    @Override
    public void close() {
        producer.close(SEND_TIMEOUT);
    }
}
