package dev.kassa.app.connector;

import dev.kassa.model.CardCharge;
import dev.kassa.model.CardChargeResult;
import dev.kassa.model.DeclineCode;
import dev.kassa.model.Topics;
import dev.kassa.processor.Charge;
import dev.kassa.processor.ChargeOutcome;
import dev.kassa.processor.ChargeRequest;
import dev.kassa.processor.CardProcessor;
import dev.kassa.processor.Rejected;
import dev.kassa.processor.RefundOutcome;
import dev.kassa.processor.Unknown;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The card connector: the one place Kassa calls the card processor. It reads charge (and refund)
 * requests from {@code card.charges} ({@code read_committed}), makes each at the processor through
 * {@link CardProcessor} with the payment id (a refund's id) as the idempotency key, at most
 * {@code concurrency} at once, retries every unknown outcome (timeout, dropped connection, 5xx) with
 * the same key and a growing backoff until the processor answers, and publishes the answers to
 * {@code card.results} in a Kafka transaction that also commits the requests' offsets
 * ({@code sendOffsetsToTransaction}). A crash anywhere before that commit leaves the requests
 * unconsumed: the next connector makes them again with the same keys and the processor answers what
 * it made the first time, so no charge is ever made twice and no answer is lost; a crash after it
 * has nothing left to do (docs/architecture.md, Card payments).
 */
public final class CardConnector implements AutoCloseable {

    /** Fault injection for the tests: runs after a batch's answers are known, before they are published. */
    @FunctionalInterface
    public interface Hooks {
        Hooks NONE = results -> { };

        void beforePublish(List<CardChargeResult> results);
    }

    private static final Logger LOG = LoggerFactory.getLogger(CardConnector.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);

    private final ConnectorSettings settings;
    private final CardProcessor processor;
    private final Hooks hooks;
    private final ExecutorService calls;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CompletableFuture<String> failure = new CompletableFuture<>();
    private final Thread thread;
    private volatile KafkaConsumer<String, byte[]> consumer;

    private CardConnector(ConnectorSettings settings, CardProcessor processor, Hooks hooks) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.processor = Objects.requireNonNull(processor, "processor");
        this.hooks = Objects.requireNonNull(hooks, "hooks");
        this.calls = Executors.newFixedThreadPool(settings.concurrency(), runnable -> {
            Thread call = new Thread(runnable, "kassa-" + settings.instanceId() + "-processor-call");
            call.setDaemon(true);
            return call;
        });
        this.thread = new Thread(this::run, "kassa-" + settings.instanceId());
    }

    /** Starts a connector on its own thread. */
    public static CardConnector start(ConnectorSettings settings, CardProcessor processor, Hooks hooks) {
        CardConnector connector = new CardConnector(settings, processor, hooks);
        connector.thread.start();
        return connector;
    }

    /** Completes, with the reason, when the connector stopped without being asked to. */
    public CompletableFuture<String> failure() {
        return failure;
    }

    private void run() {
        try (KafkaConsumer<String, byte[]> requests = new KafkaConsumer<>(settings.consumerProperties());
             KafkaProducer<String, byte[]> results = new KafkaProducer<>(settings.producerProperties())) {
            consumer = requests;
            results.initTransactions();
            requests.subscribe(List.of(Topics.CARD_CHARGES.name()));
            while (running.get()) {
                ConsumerRecords<String, byte[]> batch = requests.poll(POLL_TIMEOUT);
                if (batch.isEmpty()) {
                    continue;
                }
                List<CardChargeResult> answers = answer(batch);
                if (answers == null) {
                    // Asked to stop mid-batch: nothing published, nothing committed; the batch is read again.
                    break;
                }
                hooks.beforePublish(answers);
                publish(requests, results, batch, answers);
            }
        } catch (WakeupException e) {
            if (running.get()) {
                failed("woken up unasked", e);
            }
        } catch (RuntimeException | Error e) {
            failed(e.toString(), e);
        } finally {
            calls.shutdownNow();
        }
    }

    /**
     * Every request's answer, made concurrently, in the batch's order; null when the connector was asked
     * to stop before every answer was known. A request processor "review" holds answers nothing for now.
     */
    private List<CardChargeResult> answer(ConsumerRecords<String, byte[]> batch) {
        Deserializer<CardCharge> reader = Topics.CARD_CHARGES.valueSerde().deserializer();
        List<Future<Attempt>> pending = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : batch) {
            CardCharge charge = reader.deserialize(record.topic(), record.value());
            if (charge == null) {
                // Only the topology writes this topic: an unreadable request is a bug, and skipping it would lose a payment.
                throw new IllegalStateException("unreadable charge request at " + record.topic() + "-"
                        + record.partition() + "@" + record.offset());
            }
            pending.add(calls.submit(() -> untilKnown(charge)));
        }
        List<CardChargeResult> answers = new ArrayList<>();
        for (Future<Attempt> call : pending) {
            Attempt attempt = await(call);
            if (attempt == null || !attempt.known()) {
                return null;
            }
            if (attempt.result() != null) {
                answers.add(attempt.result());
            }
        }
        return answers;
    }

    private static Attempt await(Future<Attempt> call) {
        try {
            return call.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a processor call failed unexpectedly", e.getCause());
        }
    }

    /** One request's answer, retried with the same key and a doubling, jittered backoff while it is unknown. */
    private Attempt untilKnown(CardCharge charge) {
        Duration backoff = settings.retryBackoffMin();
        for (int attempt = 1; running.get(); attempt++) {
            Attempt answer = charge.isRefund() ? refund(charge) : charge(charge);
            if (answer.known()) {
                return answer;
            }
            LOG.warn("{} of payment {}: outcome unknown at attempt {} ({}); retrying with key {} in about {} ms",
                    charge.isRefund() ? "refund " + charge.refundId() : "charge", charge.paymentId(), attempt,
                    answer.reason(), charge.idempotencyKey(), backoff.toMillis());
            try {
                Thread.sleep(backoff.toMillis() / 2 + ThreadLocalRandom.current().nextLong(backoff.toMillis() / 2 + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            backoff = backoff.multipliedBy(2).compareTo(settings.retryBackoffMax()) > 0
                    ? settings.retryBackoffMax() : backoff.multipliedBy(2);
        }
        return Attempt.UNKNOWN_STOPPED;
    }

    private Attempt charge(CardCharge charge) {
        ChargeOutcome outcome = processor.createCharge(
                new ChargeRequest(charge.amount(), charge.currency(), charge.cardToken(), charge.paymentId()),
                charge.idempotencyKey());
        if (outcome instanceof ChargeOutcome.Charged charged && charged.charge().status() == Charge.Status.SUCCEEDED) {
            return Attempt.of(CardChargeResult.succeeded(charge, charged.charge().id()));
        }
        if (outcome instanceof ChargeOutcome.Charged held) {
            // Held for the processor's review: neither paid nor declined. The payment stays processing;
            // reconciliation with the processor's report settles it (issue 19, item 3).
            LOG.warn("charge {} of payment {} is held for the processor's review; the payment stays processing",
                    held.charge().id(), charge.paymentId());
            return Attempt.HELD;
        }
        if (outcome instanceof ChargeOutcome.Declined declined) {
            return Attempt.of(CardChargeResult.declined(charge, declineCode(declined.charge().declineCode())));
        }
        if (outcome instanceof Rejected rejected) {
            LOG.error("charge of payment {} refused by the processor: {} {} ({})", charge.paymentId(),
                    rejected.status(), rejected.code(), rejected.message());
            return Attempt.of(CardChargeResult.declined(charge, DeclineCode.PROCESSOR_REJECTED));
        }
        return Attempt.unknown(((Unknown) outcome).reason());
    }

    private Attempt refund(CardCharge refund) {
        RefundOutcome outcome = processor.refund(refund.chargeId(), OptionalLong.of(refund.amount()),
                refund.idempotencyKey());
        if (outcome instanceof RefundOutcome.Refunded refunded) {
            return Attempt.of(CardChargeResult.succeeded(refund, refunded.refund().id()));
        }
        if (outcome instanceof Rejected rejected) {
            LOG.error("refund {} of payment {} refused by the processor: {} {} ({})", refund.refundId(),
                    refund.paymentId(), rejected.status(), rejected.code(), rejected.message());
            return Attempt.of(CardChargeResult.declined(refund, DeclineCode.PROCESSOR_REJECTED));
        }
        return Attempt.unknown(((Unknown) outcome).reason());
    }

    private static DeclineCode declineCode(Charge.DeclineCode code) {
        return switch (code) {
            case CARD_DECLINED -> DeclineCode.CARD_DECLINED;
            case INSUFFICIENT_FUNDS -> DeclineCode.INSUFFICIENT_FUNDS;
            case EXPIRED_CARD -> DeclineCode.EXPIRED_CARD;
        };
    }

    /**
     * The answers and the batch's offsets in one transaction, each answer keyed by the card clearing
     * account that asked, so it reaches that account's task. A failure aborts and stops the connector:
     * its requests were not committed, so the next connector makes them again, with the same keys.
     */
    private void publish(KafkaConsumer<String, byte[]> requests, KafkaProducer<String, byte[]> results,
                         ConsumerRecords<String, byte[]> batch, List<CardChargeResult> answers) {
        Serializer<CardChargeResult> writer = Topics.CARD_RESULTS.valueSerde().serializer();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : batch.partitions()) {
            List<ConsumerRecord<String, byte[]>> records = batch.records(partition);
            offsets.put(partition, new OffsetAndMetadata(records.get(records.size() - 1).offset() + 1));
        }
        results.beginTransaction();
        try {
            for (CardChargeResult answer : answers) {
                String topic = Topics.CARD_RESULTS.name();
                results.send(new ProducerRecord<>(topic, answer.clearingAccount(), writer.serialize(topic, answer)));
            }
            results.sendOffsetsToTransaction(offsets, requests.groupMetadata());
            results.commitTransaction();
        } catch (RuntimeException e) {
            try {
                results.abortTransaction();
            } catch (RuntimeException abort) {
                e.addSuppressed(abort);
            }
            throw e;
        }
    }

    private void failed(String reason, Throwable cause) {
        LOG.error("the card connector stopped: {}", reason, cause);
        failure.complete(reason);
    }

    /** Stops taking requests; answers not yet published are made again by the next connector. */
    @Override
    public void close() {
        running.set(false);
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        calls.shutdownNow();
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "Kassa card connector " + settings.instanceId();
    }

    /** One attempt: an answer to publish, the processor's hold (nothing to publish), or unknown with why. */
    private record Attempt(boolean known, CardChargeResult result, String reason) {
        static final Attempt HELD = new Attempt(true, null, null);
        static final Attempt UNKNOWN_STOPPED = new Attempt(false, null, "the connector is stopping");

        static Attempt of(CardChargeResult result) {
            return new Attempt(true, result, null);
        }

        static Attempt unknown(String reason) {
            return new Attempt(false, null, reason);
        }
    }
}
