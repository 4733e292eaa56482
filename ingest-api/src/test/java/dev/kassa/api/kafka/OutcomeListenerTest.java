package dev.kassa.api.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kassa.model.Account;
import dev.kassa.model.AccountEvent;
import dev.kassa.model.CommandReplay;
import dev.kassa.model.CreatePayment;
import dev.kassa.model.CreateRefund;
import dev.kassa.model.DeclineCode;
import dev.kassa.model.Ids;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentEvent;
import dev.kassa.model.PaymentEventType;
import dev.kassa.model.PaymentKind;
import dev.kassa.model.PaymentStatus;
import dev.kassa.model.Refund;
import dev.kassa.model.RefundStatus;
import dev.kassa.model.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The outcome listener hands each terminal event to the request waiting for it, and only terminal
 * ones. Plan: a MockConsumer stands in for the broker's fetch (the listener's own logic is under test,
 * not Kafka's); events are added as the topology would write them, serialized with the real serdes.
 */
class OutcomeListenerTest {

    private static final Instant NOW = Instant.parse("2026-11-25T08:00:00Z");
    private static final TopicPartition PAYMENTS = new TopicPartition(Topics.PAYMENTS_EVENTS.name(), 0);
    private static final TopicPartition ACCOUNTS = new TopicPartition(Topics.ACCOUNTS_EVENTS.name(), 0);
    private static final TopicPartition REPLAYS = new TopicPartition(Topics.PAYMENTS_REPLAYS.name(), 0);

    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("latest");
    private final List<Account> handedOn = new CopyOnWriteArrayList<>();
    private final List<Payment> decided = new CopyOnWriteArrayList<>();
    private final OutcomeListener listener =
            new OutcomeListener(consumer, 2, handedOn::add, decided::add, new SimpleMeterRegistry());
    private long paymentOffset = 7;

    @AfterEach
    void close() {
        listener.close();
    }

    private void startAtOffset7() {
        consumer.updatePartitions(PAYMENTS.topic(), List.of(new PartitionInfo(PAYMENTS.topic(), 0, null, null, null)));
        consumer.updatePartitions(ACCOUNTS.topic(), List.of(new PartitionInfo(ACCOUNTS.topic(), 0, null, null, null)));
        consumer.updatePartitions(REPLAYS.topic(), List.of(new PartitionInfo(REPLAYS.topic(), 0, null, null, null)));
        consumer.updateEndOffsets(Map.of(PAYMENTS, 7L, ACCOUNTS, 3L, REPLAYS, 5L));
        listener.start(Duration.ofSeconds(1));
    }

    private static Payment pending(String paymentId) {
        return Payment.pending(new CreatePayment(paymentId, "mer_1", "key", PaymentKind.PAYMENT, 100, "usd",
                Ids.next(Ids.ACCOUNT), Ids.next(Ids.ACCOUNT), null, Map.of(), NOW, null));
    }

    private void publish(PaymentEventType type, long sequence, Payment payment) {
        byte[] value = Topics.PAYMENTS_EVENTS.valueSerde().serializer()
                .serialize(PAYMENTS.topic(), PaymentEvent.of(type, sequence, NOW, payment, List.of()));
        consumer.addRecord(new ConsumerRecord<>(PAYMENTS.topic(), 0, paymentOffset++, payment.id(), value));
    }

    @Test
    void startsAtTheEndOfEveryPartition() {
        startAtOffset7();

        assertThat(consumer.assignment()).containsExactlyInAnyOrder(PAYMENTS, ACCOUNTS, REPLAYS);
        assertThat(consumer.position(PAYMENTS)).isEqualTo(7);
        assertThat(consumer.position(ACCOUNTS)).isEqualTo(3);
    }

    @Test
    void terminalEventCompletesTheWaitAndInitiatedDoesNot() {
        // A payment that takes the long way (docs/events.md, "Ordering"): PaymentInitiated at 1, then its
        // outcome at 2, here a credit its destination refused.
        startAtOffset7();
        String paymentId = Ids.next(Ids.PAYMENT);
        try (Awaiting<Payment> outcome = listener.awaitPayment(paymentId)) {
            publish(PaymentEventType.PaymentInitiated, 1, pending(paymentId));
            assertThat(outcome.await(Duration.ofMillis(300))).as("initiated is not an outcome").isEmpty();

            publish(PaymentEventType.PaymentFailed, 2, pending(paymentId).failed(DeclineCode.ACCOUNT_NOT_FOUND));

            Optional<Payment> payment = outcome.await(Duration.ofSeconds(5));
            assertThat(payment).hasValueSatisfying(p -> {
                assertThat(p.status()).isEqualTo(PaymentStatus.FAILED);
                assertThat(p.failureCode()).isEqualTo(DeclineCode.ACCOUNT_NOT_FOUND);
            });
            // Handed on before the wait ended (read-your-writes), and only the outcome, not PaymentInitiated.
            assertThat(decided).containsExactly(payment.get());
        }
    }

    @Test
    void outcomeThatIsThePaymentsOnlyEventCompletesTheWait() {
        // Nearly every payment is decided where its command is taken and published once, by its outcome at 1.
        startAtOffset7();
        String paymentId = Ids.next(Ids.PAYMENT);
        try (Awaiting<Payment> outcome = listener.awaitPayment(paymentId)) {
            publish(PaymentEventType.PaymentFailed, 1, pending(paymentId).failed(DeclineCode.INSUFFICIENT_FUNDS));

            assertThat(outcome.await(Duration.ofSeconds(5))).hasValueSatisfying(p -> {
                assertThat(p.status()).isEqualTo(PaymentStatus.FAILED);
                assertThat(p.failureCode()).isEqualTo(DeclineCode.INSUFFICIENT_FUNDS);
            });
        }
    }

    @Test
    void unreadableRecordIsSkippedAndLaterOutcomesStillArrive() {
        startAtOffset7();
        String paymentId = Ids.next(Ids.PAYMENT);
        try (Awaiting<Payment> outcome = listener.awaitPayment(paymentId)) {
            consumer.addRecord(new ConsumerRecord<>(PAYMENTS.topic(), 0, paymentOffset++, paymentId,
                    "not json".getBytes(StandardCharsets.UTF_8)));
            publish(PaymentEventType.PaymentCompleted, 1, pending(paymentId).completed());

            assertThat(outcome.await(Duration.ofSeconds(5))).hasValueSatisfying(p ->
                    assertThat(p.status()).isEqualTo(PaymentStatus.COMPLETED));
        }
    }

    @Test
    void replayEndsTheWaitAndNamesTheOriginalPayment() {
        startAtOffset7();
        String requested = Ids.next(Ids.PAYMENT);
        String original = Ids.next(Ids.PAYMENT);
        try (Awaiting<Payment> outcome = listener.awaitPayment(requested)) {
            CreatePayment repeated = new CreatePayment(requested, "mer_1", "key", PaymentKind.PAYMENT, 100, "usd",
                    Ids.next(Ids.ACCOUNT), Ids.next(Ids.ACCOUNT), null, Map.of(), NOW, null);
            byte[] value = Topics.PAYMENTS_REPLAYS.valueSerde().serializer()
                    .serialize(REPLAYS.topic(), CommandReplay.of(repeated, requested, original, null, NOW));
            consumer.addRecord(new ConsumerRecord<>(REPLAYS.topic(), 0, 5, repeated.key(), value));

            long started = System.nanoTime();
            assertThat(outcome.await(Duration.ofSeconds(5))).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
            assertThat(outcome.replayOf()).map(CommandReplay::originalId).contains(original);
        }
    }

    @Test
    void refundOutcomeCompletesTheRefundWaitAndRefundRequestedDoesNot() {
        // Plan: a refund's RefundRequested, then its RefundFailed; only the failure is the refund's
        // outcome, and neither may complete a wait for the payment they belong to.
        startAtOffset7();
        Payment completed = pending(Ids.next(Ids.PAYMENT)).completed();
        Refund requested = Refund.requested(new CreateRefund(Ids.next(Ids.REFUND), completed.id(), "mer_1", "refund-key",
                500L, completed.destination(), NOW, null), 500, "usd");
        try (Awaiting<Refund> refund = listener.awaitRefund(requested.id());
             Awaiting<Payment> payment = listener.awaitPayment(completed.id())) {
            publishRefund(PaymentEventType.RefundRequested, 3, completed, requested);
            assertThat(refund.await(Duration.ofMillis(300))).as("requested is not an outcome").isEmpty();

            publishRefund(PaymentEventType.RefundFailed, 4, completed, requested.failed(DeclineCode.REFUND_EXCEEDS_PAYMENT));

            assertThat(refund.await(Duration.ofSeconds(5))).hasValueSatisfying(r -> {
                assertThat(r.status()).isEqualTo(RefundStatus.FAILED);
                assertThat(r.failureCode()).isEqualTo(DeclineCode.REFUND_EXCEEDS_PAYMENT);
            });
            assertThat(payment.await(Duration.ofMillis(300))).as("a refund event is no payment outcome").isEmpty();
        }
    }

    private void publishRefund(PaymentEventType type, long sequence, Payment payment, Refund refund) {
        byte[] value = Topics.PAYMENTS_EVENTS.valueSerde().serializer()
                .serialize(PAYMENTS.topic(), PaymentEvent.ofRefund(type, sequence, NOW, payment, List.of(), refund));
        consumer.addRecord(new ConsumerRecord<>(PAYMENTS.topic(), 0, paymentOffset++, payment.id(), value));
    }

    @Test
    void accountOpeningCompletesTheAccountWait() {
        startAtOffset7();
        Account account = new Account(Ids.next(Ids.ACCOUNT), "mer_1", "usd", false, NOW);
        try (Awaiting<Account> opened = listener.awaitAccount(account.id())) {
            byte[] value = Topics.ACCOUNTS_EVENTS.valueSerde().serializer()
                    .serialize(ACCOUNTS.topic(), AccountEvent.opened(account, NOW));
            consumer.addRecord(new ConsumerRecord<>(ACCOUNTS.topic(), 0, 3, account.id(), value));

            assertThat(opened.await(Duration.ofSeconds(5))).contains(account);
        }
        assertThat(handedOn).as("handed on before the wait ended").containsExactly(account);
    }

    @Test
    void everyAccountOpenedIsHandedOnWhetherAwaitedOrNot() {
        // Plan: accounts opened through other instances are awaited by nobody here; all are handed on.
        startAtOffset7();
        Account first = new Account(Ids.next(Ids.ACCOUNT), "mer_1", "usd", false, NOW);
        Account second = new Account(Ids.next(Ids.ACCOUNT), "mer_2", "eur", false, NOW);
        long offset = 3;
        for (Account account : List.of(first, second)) {
            byte[] value = Topics.ACCOUNTS_EVENTS.valueSerde().serializer()
                    .serialize(ACCOUNTS.topic(), AccountEvent.opened(account, NOW));
            consumer.addRecord(new ConsumerRecord<>(ACCOUNTS.topic(), 0, offset++, account.id(), value));
        }

        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(handedOn).containsExactly(first, second));
    }

    @Test
    void aCatchUpReturnsOnceEverythingCommittedAtTheCallHasBeenRead() throws Exception {
        // Plan: the listener starts at offset 7 of payments.events; the log's committed end moves to
        // 9 while nothing is fetched yet. A catch-up asked now must not return before the listener has
        // read offsets 7 and 8; once those records arrive, it returns true, and their outcome was handed on.
        startAtOffset7();
        consumer.updateEndOffsets(Map.of(PAYMENTS, 9L));
        ExecutorService asking = Executors.newSingleThreadExecutor();
        Future<Boolean> caughtUp = asking.submit(() -> listener.awaitCaughtUp(Duration.ofSeconds(10)));
        asking.shutdown();

        Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !caughtUp.isDone());
        String paymentId = Ids.next(Ids.PAYMENT);
        publish(PaymentEventType.PaymentInitiated, 1, pending(paymentId));
        publish(PaymentEventType.PaymentFailed, 2, pending(paymentId).failed(DeclineCode.ACCOUNT_NOT_FOUND));

        assertThat(caughtUp.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(decided).extracting(Payment::id).containsExactly(paymentId);
    }

    @Test
    void aCatchUpThatCannotReachTheEndGivesUpAfterItsTimeout() {
        startAtOffset7();
        consumer.updateEndOffsets(Map.of(PAYMENTS, 8L));

        assertThat(listener.awaitCaughtUp(Duration.ofMillis(300))).isFalse();
    }

    @Test
    void waitsBeyondTheBoundEndAtOnceWithoutAnOutcome() {
        OutcomeWaiters<String> waiters = new OutcomeWaiters<>(2);
        try (Awaiting<String> first = waiters.register("a"); Awaiting<String> second = waiters.register("b")) {
            long started = System.nanoTime();
            try (Awaiting<String> third = waiters.register("c")) {
                assertThat(third.await(Duration.ofSeconds(5))).isEmpty();
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
            assertThat(waiters.size()).isEqualTo(2);
            waiters.complete("a", "done");
            assertThat(first.await(Duration.ZERO)).contains("done");
        }
        assertThat(waiters.size()).as("closing frees every slot").isZero();
    }

    @Test
    void missingTopicFailsTheStart() {
        consumer.updatePartitions(PAYMENTS.topic(), List.of(new PartitionInfo(PAYMENTS.topic(), 0, null, null, null)));

        assertThatThrownBy(() -> listener.start(Duration.ofMillis(100)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(Topics.ACCOUNTS_EVENTS.name());
    }
}
