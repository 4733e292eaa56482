package dev.kassa.api.kafka;

import dev.kassa.api.error.ApiException;
import dev.kassa.api.error.ErrorCode;
import dev.kassa.model.Command;
import dev.kassa.model.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes commands on {@code payments.commands}, keyed by their {@link Command#routingKey()} (the
 * account whose task decides them; see docs/architecture.md), and
 * waits for the broker's acknowledgement ({@code acks=all}) before returning: the API answers 2xx
 * only for a command that is durably in Kafka. A failed or timed-out send answers
 * {@code 503 service_unavailable}; the client retries with the same key, and the topology's dedupe
 * stage drops the copy if the first send did land after all.
 */
public final class CommandPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CommandPublisher.class);

    private final Producer<String, Command> producer;
    private final Duration timeout;
    private final MeterRegistry registry;

    /**
     * @param timeout the longest wait for an acknowledgement; the producer's own
     *                {@code delivery.timeout.ms} should equal it
     */
    public CommandPublisher(Producer<String, Command> producer, Duration timeout, MeterRegistry registry) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Publishes {@code command} and waits for its acknowledgement. */
    public void publish(Command command) {
        String type = command.getClass().getSimpleName();
        long started = System.nanoTime();
        String result = "failed";
        try {
            producer.send(new ProducerRecord<>(Topics.PAYMENTS_COMMANDS.name(), command.routingKey(), command))
                    // A little beyond the producer's own delivery timeout, so it normally reports first.
                    .get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            result = "ok";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(command, e);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            throw unavailable(command, e);
        } finally {
            Timer.builder("kassa.api.publish")
                    .description("Time to publish a command and receive the broker's acknowledgement")
                    .tags("command", type, "result", result)
                    .register(registry)
                    .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    private static ApiException unavailable(Command command, Exception cause) {
        Throwable reason = cause instanceof ExecutionException && cause.getCause() != null ? cause.getCause() : cause;
        LOG.warn("cannot publish {} {}: {}", command.getClass().getSimpleName(), command.key(), reason.toString());
        return new ApiException(ErrorCode.SERVICE_UNAVAILABLE,
                "the payment network is unavailable; retry with the same Idempotency-Key", cause);
    }

    @Override
    public void close() {
        producer.close(timeout);
    }
}
