package dev.kassa.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kassa.api.error.ApiException;
import dev.kassa.model.Command;
import dev.kassa.model.CreatePayment;
import dev.kassa.model.Ids;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentKind;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A payment's request waits once, for its outcome or for its send to fail, and answers nothing before
 * the broker has the command. Plan: a MockProducer that completes sends only when told stands in for
 * the producer's network I/O (the publisher's own logic is under test, not Kafka's).
 */
class CommandPublisherTest {

    private static final Instant NOW = Instant.parse("2026-12-07T08:00:00Z");
    private static final Duration LONG = Duration.ofMinutes(5);

    private final MockProducer<String, Command> producer =
            new MockProducer<>(false, null, new StringSerializer(), (topic, command) -> new byte[0]);
    private final CommandPublisher publisher = new CommandPublisher(producer, Duration.ofSeconds(5), new SimpleMeterRegistry());
    private final OutcomeWaiters<Payment> waiters = new OutcomeWaiters<>(10);

    @Test
    void aFailedSendEndsTheOutcomeWaitAndAnswersUnavailable() {
        CreatePayment command = payment();
        try (Awaiting<Payment> outcome = waiters.register(command.paymentId())) {
            CommandPublisher.Sent sent = publisher.send(command);
            CompletableFuture<Optional<Payment>> waited =
                    CompletableFuture.supplyAsync(() -> outcome.await(LONG, sent.failure()));
            assertThat(sent.failure()).isNotDone();

            producer.errorNext(new TimeoutException("no broker answered"));

            await().atMost(Duration.ofSeconds(30)).until(waited::isDone);
            assertThat(waited.join()).isEmpty();
            assertThatThrownBy(sent::awaitAcknowledged).isInstanceOfSatisfying(ApiException.class,
                    error -> assertThat(error.code()).isEqualTo("service_unavailable"));
        }
    }

    @Test
    void anAcknowledgedSendWithoutAnOutcomeIsNotAFailure() {
        CreatePayment command = payment();
        try (Awaiting<Payment> outcome = waiters.register(command.paymentId())) {
            CommandPublisher.Sent sent = publisher.send(command);

            producer.completeNext();

            sent.awaitAcknowledged();
            assertThat(sent.failure()).isNotDone();
            assertThat(outcome.await(Duration.ofMillis(1), sent.failure())).isEmpty();
            assertThat(producer.history()).extracting(record -> record.key()).containsExactly(command.routingKey());
        }
    }

    @Test
    void theOutcomeEndsTheWaitWhileTheSendIsStillUnacknowledged() {
        CreatePayment command = payment();
        try (Awaiting<Payment> outcome = waiters.register(command.paymentId())) {
            CommandPublisher.Sent sent = publisher.send(command);
            Payment completed = Payment.pending(command);

            waiters.complete(command.paymentId(), completed);

            assertThat(outcome.await(LONG, sent.failure())).contains(completed);
        }
    }

    private static CreatePayment payment() {
        return new CreatePayment(Ids.next(Ids.PAYMENT, NOW), "mer_publisher", "key-" + System.nanoTime(),
                PaymentKind.PAYMENT, 10, "usd", "acct_publisher_a", "acct_publisher_b", null, Map.of(), NOW, null);
    }
}
