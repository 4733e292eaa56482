package dev.kassa.ledger.sink;

import dev.kassa.ledger.DeadLetterRecord;
import dev.kassa.ledger.postgres.DeadLetterOutbox;
import dev.kassa.model.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the sink's dead letters to {@code kassa.dead-letter}: the raw key and value unchanged, and
 * the reason and origin in the headers Kafka Streams uses for the topology's dead letters, so one
 * consumer reads both. The sink's records carry {@value #SINK_EXCEPTION} as their exception header,
 * which tells them apart from the topology's. Waits a bounded time for the acknowledgements; a record
 * not acknowledged in time stays unpublished in Postgres and is sent again later, possibly twice.
 */
final class DeadLetterPublisher implements DeadLetterOutbox.Publisher {

    /** Header names, as Kafka Streams' dead-letter handling writes them. */
    static final String HEADER_EXCEPTION = "__streams.errors.exception";
    static final String HEADER_MESSAGE = "__streams.errors.message";
    static final String HEADER_TOPIC = "__streams.errors.topic";
    static final String HEADER_PARTITION = "__streams.errors.partition";
    static final String HEADER_OFFSET = "__streams.errors.offset";

    /** The exception header of the sink's dead letters: the record type that set them aside. */
    static final String SINK_EXCEPTION = "dev.kassa.ledger.DeadLetterRecord";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterPublisher.class);

    private final Producer<byte[], byte[]> producer;
    private final Duration acknowledgementWait;

    DeadLetterPublisher(Producer<byte[], byte[]> producer, Duration acknowledgementWait) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.acknowledgementWait = Objects.requireNonNull(acknowledgementWait, "acknowledgementWait");
        if (acknowledgementWait.isNegative() || acknowledgementWait.isZero()) {
            throw new IllegalArgumentException("acknowledgementWait must be positive: " + acknowledgementWait);
        }
    }

    @Override
    public List<DeadLetterRecord> publish(List<DeadLetterRecord> deadLetters) {
        List<Future<RecordMetadata>> sends = new ArrayList<>(deadLetters.size());
        try {
            for (DeadLetterRecord deadLetter : deadLetters) {
                Future<RecordMetadata> send = producer.send(record(deadLetter));
                sends.add(send);
                if (failedAlready(send)) {
                    // The broker is unreachable (send gave up on metadata): the rest would each wait as long.
                    break;
                }
            }
        } catch (KafkaException e) {
            LOG.warn("sending dead letters to {} failed after {} of {}; the rest stay unpublished: {}",
                    Topics.DEAD_LETTER.name(), sends.size(), deadLetters.size(), e.toString());
        }
        return acknowledged(deadLetters, sends);
    }

    private static boolean failedAlready(Future<RecordMetadata> send) {
        if (!send.isDone()) {
            return false;
        }
        try {
            send.get();
            return false;
        } catch (ExecutionException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private List<DeadLetterRecord> acknowledged(List<DeadLetterRecord> deadLetters, List<Future<RecordMetadata>> sends) {
        long deadline = System.nanoTime() + acknowledgementWait.toNanos();
        List<DeadLetterRecord> acknowledged = new ArrayList<>(sends.size());
        for (int i = 0; i < sends.size(); i++) {
            try {
                sends.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                acknowledged.add(deadLetters.get(i));
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("dead letter {} not acknowledged by {}; it stays unpublished: {}", deadLetters.get(i),
                        Topics.DEAD_LETTER.name(), e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return acknowledged;
    }

    static ProducerRecord<byte[], byte[]> record(DeadLetterRecord deadLetter) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(HEADER_EXCEPTION, utf8(SINK_EXCEPTION));
        headers.add(HEADER_MESSAGE, utf8(deadLetter.reason()));
        headers.add(HEADER_TOPIC, utf8(deadLetter.partition().topic()));
        headers.add(HEADER_PARTITION, utf8(Integer.toString(deadLetter.partition().partition())));
        headers.add(HEADER_OFFSET, utf8(Long.toString(deadLetter.offset())));
        return new ProducerRecord<>(Topics.DEAD_LETTER.name(), null, deadLetter.key(), deadLetter.value(), headers);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
