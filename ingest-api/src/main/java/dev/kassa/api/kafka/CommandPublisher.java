package dev.kassa.api.kafka;

import dev.kassa.api.Failures;
import dev.kassa.api.error.ApiException;
import dev.kassa.api.error.ErrorCode;
import dev.kassa.model.Command;
import dev.kassa.model.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
 * account whose task decides them; see docs/architecture.md). The API answers 2xx only for a command
 * that is durably in Kafka: either its outcome arrived (the topology read the command from the log)
 * or the broker acknowledged it ({@code acks=all}). A failed or timed-out send answers
 * {@code 503 service_unavailable}; the client retries with the same key, and the topology's dedupe
 * stage drops the copy if the first send did land after all.
 */
public final class CommandPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CommandPublisher.class);

    private final Producer<String, Command> producer;
    private final Duration timeout;
    private final MeterRegistry registry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

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
        send(command).awaitAcknowledged();
    }

    /**
     * Sends {@code command} without waiting: the caller waits for what it needs — the outcome, which
     * proves the broker had the command, or {@link Sent#awaitAcknowledged()} before promising anything
     * else — in one wait instead of two.
     */
    public Sent send(Command command) {
        String type = command.getClass().getSimpleName();
        long started = System.nanoTime();
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(Topics.PAYMENTS_COMMANDS.name(), command.routingKey(), command),
                    (metadata, failure) -> {
                        timer(type, failure == null ? "ok" : "failed").record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                        if (failure == null) {
                            acknowledged.complete(null);
                        } else {
                            acknowledged.completeExceptionally(failure);
                        }
                    });
        } catch (KafkaException e) {
            // The producer refused the record before sending it (closed, or no buffer within max.block.ms).
            timer(type, "failed").record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            acknowledged.completeExceptionally(e);
        }
        return new Sent(command, acknowledged, timeout.plusSeconds(1));
    }

    /** The publish timer of one command type and result, registered once. */
    private Timer timer(String type, String result) {
        return timers.computeIfAbsent(type + "/" + result, key -> Timer.builder("kassa.api.publish")
                .description("Time to publish a command and receive the broker's acknowledgement")
                .tags("command", type, "result", result)
                .register(registry));
    }

    /** A command on its way to the broker. */
    public static final class Sent {

        private final Command command;
        private final CompletableFuture<Void> acknowledged;
        private final CompletableFuture<Void> failed = new CompletableFuture<>();
        private final Duration ackWait;

        /**
         * @param ackWait the longest wait for the acknowledgement; a little beyond the producer's own
         *                delivery timeout, so that the producer normally reports first
         */
        Sent(Command command, CompletableFuture<Void> acknowledged, Duration ackWait) {
            this.command = Objects.requireNonNull(command, "command");
            this.acknowledged = Objects.requireNonNull(acknowledged, "acknowledged");
            this.ackWait = Objects.requireNonNull(ackWait, "ackWait");
            acknowledged.whenComplete((ok, failure) -> {
                if (failure != null) {
                    failed.complete(null);
                }
            });
        }

        /** Completes when the send has failed (never when it succeeds): a wait for the outcome can end there. */
        public CompletableFuture<Void> failure() {
            return failed;
        }

        /**
         * Returns once the broker has acknowledged the command ({@code acks=all}); a failed or
         * timed-out send throws {@code 503 service_unavailable}, and the client retries with the same
         * key (the topology's dedupe stage drops the copy if the first send landed after all).
         */
        public void awaitAcknowledged() {
            try {
                acknowledged.get(ackWait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unavailable(command, e);
            } catch (ExecutionException | TimeoutException e) {
                throw unavailable(command, e);
            }
        }
    }

    private static ApiException unavailable(Command command, Exception cause) {
        Throwable reason = Failures.cause(cause);
        LOG.warn("cannot publish {} {}: {}", command.getClass().getSimpleName(), command.key(), reason.toString());
        return new ApiException(ErrorCode.SERVICE_UNAVAILABLE,
                "the payment network is unavailable; retry with the same Idempotency-Key", cause);
    }

    @Override
    public void close() {
        producer.close(timeout);
    }
}
