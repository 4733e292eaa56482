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
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
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
 * {@code concurrency} calls at once, retries every unknown outcome (timeout, dropped connection, 5xx)
 * with the same key and a growing backoff until the processor answers, and publishes the answers to
 * {@code card.results} in Kafka transactions that also commit the requests' offsets
 * ({@code sendOffsetsToTransaction}).
 *
 * <p>Answers are published as they come, in any order: a charge whose outcome stays unknown holds
 * neither the other answers nor the next polls. The offset committed with them is, per partition, the
 * lowest request still unanswered ({@link OffsetWindow}). A crash anywhere leaves every request from
 * there on unconsumed: the next connector makes them again with the same keys, the processor answers
 * what it made the first time, so no charge is ever made twice and no answer is lost, and the
 * topology takes a payment's first answer and drops the repeats (docs/architecture.md, Card payments).
 * Requests read and not answered are bounded ({@code concurrency × 4}, and
 * {@value #UNCOMMITTED_PER_PARTITION_MAX} behind an unanswered one per partition): past either, the
 * connector stops reading until answers come.
 */
public final class CardConnector implements AutoCloseable {

    /** Fault injection for the tests: runs after answers are known, before they are published. */
    @FunctionalInterface
    public interface Hooks {
        Hooks NONE = results -> { };

        void beforePublish(List<CardChargeResult> results);
    }

    /** The most requests a partition may have read past its oldest unanswered one: what a crash makes again. */
    static final int UNCOMMITTED_PER_PARTITION_MAX = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(CardConnector.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);

    private final ConnectorSettings settings;
    private final CardProcessor processor;
    private final Hooks hooks;
    private final ConnectorMetrics metrics;
    private final ExecutorService calls;
    private final ScheduledExecutorService retries;
    private final LinkedBlockingQueue<Answered> answered = new LinkedBlockingQueue<>();
    /** Requests read and not answered, per assigned partition; touched by the connector's thread only. */
    private final Map<TopicPartition, OffsetWindow> windows = new HashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean ready = new AtomicBoolean();
    private final CompletableFuture<String> failure = new CompletableFuture<>();
    private final Thread thread;
    private volatile KafkaConsumer<String, byte[]> consumer;

    private CardConnector(ConnectorSettings settings, CardProcessor processor, Hooks hooks, ConnectorMetrics metrics) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.processor = Objects.requireNonNull(processor, "processor");
        this.hooks = Objects.requireNonNull(hooks, "hooks");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.calls = Executors.newFixedThreadPool(settings.concurrency(), daemon("processor-call"));
        // Waiting to retry takes no call slot: a charge the processor keeps failing does not slow the others.
        this.retries = Executors.newSingleThreadScheduledExecutor(daemon("retry"));
        this.thread = new Thread(this::run, "kassa-" + settings.instanceId());
    }

    private ThreadFactory daemon(String role) {
        return runnable -> {
            Thread worker = new Thread(runnable, "kassa-" + settings.instanceId() + "-" + role);
            worker.setDaemon(true);
            return worker;
        };
    }

    /** Starts a connector on its own thread, counting into a registry nobody reads. */
    public static CardConnector start(ConnectorSettings settings, CardProcessor processor, Hooks hooks) {
        return start(settings, processor, hooks, ConnectorMetrics.none());
    }

    /** Starts a connector on its own thread, counting into {@code metrics}. */
    public static CardConnector start(ConnectorSettings settings, CardProcessor processor, Hooks hooks,
                                      ConnectorMetrics metrics) {
        CardConnector connector = new CardConnector(settings, processor, hooks, metrics);
        connector.thread.start();
        return connector;
    }

    /** Completes, with the reason, when the connector stopped without being asked to. */
    public CompletableFuture<String> failure() {
        return failure;
    }

    /** Whether the connector's thread runs and has not failed. */
    public boolean isHealthy() {
        return thread.isAlive() && !failure.isDone();
    }

    /** Whether the connector reads requests: its producer is initialized and it has not stopped. */
    public boolean isReady() {
        return ready.get() && isHealthy();
    }

    private void run() {
        try (KafkaConsumer<String, byte[]> requests = new KafkaConsumer<>(settings.consumerProperties());
             KafkaProducer<String, byte[]> results = new KafkaProducer<>(settings.producerProperties())) {
            consumer = requests;
            results.initTransactions();
            requests.subscribe(List.of(Topics.CARD_CHARGES.name()), new Rebalance(requests, results));
            ready.set(true);
            try {
                while (running.get()) {
                    ConsumerRecords<String, byte[]> batch = poll(requests);
                    if (batch == null) {
                        // Asked to stop: what is answered and unpublished is made again by the next connector.
                        break;
                    }
                    submit(batch);
                    publishAnswered(requests, results);
                    throttle(requests);
                }
            } finally {
                // Closing the consumer revokes its partitions: by then nothing is published any more.
                ready.set(false);
            }
        } catch (RuntimeException | Error e) {
            if (running.get()) {
                failed(e.toString(), e);
            } else {
                LOG.info("the card connector stopped while {}", e.toString());
            }
        } finally {
            ready.set(false);
            retries.shutdownNow();
            calls.shutdownNow();
        }
    }

    /** The next requests; empty when an answer woke the poll up, null when the connector is stopping. */
    private ConsumerRecords<String, byte[]> poll(KafkaConsumer<String, byte[]> requests) {
        try {
            return requests.poll(POLL_TIMEOUT);
        } catch (WakeupException e) {
            return running.get() ? ConsumerRecords.empty() : null;
        }
    }

    /** Opens every request of the batch in its partition's window and hands it to a processor call. */
    private void submit(ConsumerRecords<String, byte[]> batch) {
        Deserializer<CardCharge> reader = Topics.CARD_CHARGES.valueSerde().deserializer();
        for (ConsumerRecord<String, byte[]> record : batch) {
            CardCharge charge = reader.deserialize(record.topic(), record.value());
            if (charge == null) {
                // Only the topology writes this topic: an unreadable request is a bug, and skipping it would lose a payment.
                throw new IllegalStateException("unreadable charge request at " + record.topic() + "-"
                        + record.partition() + "@" + record.offset());
            }
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            windows.computeIfAbsent(partition, p -> new OffsetWindow()).read(record.offset());
            call(new Request(charge, partition, record.offset()), 1, settings.retryBackoffMin());
        }
    }

    /** One attempt at the processor; an unknown outcome schedules the next with the same key, later. */
    private void call(Request request, int attempt, Duration backoff) {
        try {
            calls.execute(() -> attempt(request, attempt, backoff));
        } catch (RejectedExecutionException stopping) {
            LOG.debug("not calling the processor for payment {}: the connector is stopping", request.charge().paymentId());
        }
    }

    private void attempt(Request request, int attempt, Duration backoff) {
        CardCharge charge = request.charge();
        Attempt answer;
        try {
            metrics.sent();
            answer = charge.isRefund() ? refund(charge) : charge(charge);
        } catch (RuntimeException e) {
            report(new Answered(request, null, e));
            return;
        }
        if (answer.known()) {
            report(new Answered(request, answer, null));
            return;
        }
        if (!running.get()) {
            return;
        }
        metrics.retried();
        long waitMs = backoff.toMillis() / 2 + ThreadLocalRandom.current().nextLong(backoff.toMillis() / 2 + 1);
        LOG.warn("{} of payment {}: outcome unknown at attempt {} ({}); retrying with key {} in about {} ms",
                charge.isRefund() ? "refund " + charge.refundId() : "charge", charge.paymentId(), attempt,
                answer.reason(), charge.idempotencyKey(), waitMs);
        Duration next = backoff.multipliedBy(2).compareTo(settings.retryBackoffMax()) > 0
                ? settings.retryBackoffMax() : backoff.multipliedBy(2);
        try {
            retries.schedule(() -> call(request, attempt + 1, next), waitMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            LOG.debug("not retrying payment {}: the connector is stopping", charge.paymentId());
        }
    }

    /** Hands a known answer (or a call's unexpected failure) to the connector's thread, and wakes its poll. */
    private void report(Answered answer) {
        answered.add(answer);
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    /**
     * Publishes the answers known since the last transaction with every offset that moved, in one
     * transaction. An answer of a partition no longer assigned here is dropped: its new owner makes the
     * request again, with the same key.
     */
    private void publishAnswered(KafkaConsumer<String, byte[]> requests, KafkaProducer<String, byte[]> results) {
        List<Answered> known = new ArrayList<>();
        answered.drainTo(known);
        List<CardChargeResult> answers = new ArrayList<>();
        for (Answered answer : known) {
            if (answer.failure() != null) {
                throw new IllegalStateException("a processor call failed unexpectedly", answer.failure());
            }
            OffsetWindow window = windows.get(answer.request().partition());
            if (window != null && window.answered(answer.request().offset()) && answer.attempt().result() != null) {
                answers.add(answer.attempt().result());
            }
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        windows.forEach((partition, window) -> {
            if (window.advanced()) {
                offsets.put(partition, new OffsetAndMetadata(window.committable()));
            }
        });
        if (answers.isEmpty() && offsets.isEmpty()) {
            return;
        }
        if (!answers.isEmpty()) {
            hooks.beforePublish(answers);
        }
        publish(requests, results, answers, offsets);
        offsets.forEach((partition, offset) -> windows.get(partition).committed(offset.offset()));
    }

    /**
     * Stops reading while too many requests are open (every partition) or while a partition has read
     * too far past its oldest unanswered request (that partition); reads again once answers come.
     */
    private void throttle(KafkaConsumer<String, byte[]> requests) {
        long open = windows.values().stream().mapToLong(OffsetWindow::openCount).sum();
        metrics.inFlight(open);
        boolean full = open >= (long) settings.concurrency() * 4;
        Set<TopicPartition> pause = new HashSet<>();
        Set<TopicPartition> resume = new HashSet<>();
        long lag = 0;
        for (TopicPartition partition : requests.assignment()) {
            OffsetWindow window = windows.get(partition);
            boolean tooFar = window != null && window.uncommitted() >= UNCOMMITTED_PER_PARTITION_MAX;
            (full || tooFar ? pause : resume).add(partition);
            lag += requests.currentLag(partition).orElse(0);
        }
        requests.pause(pause);
        requests.resume(resume);
        metrics.lag(lag);
    }

    private Attempt charge(CardCharge charge) {
        ChargeOutcome outcome = processor.createCharge(
                new ChargeRequest(charge.amount(), charge.currency(), charge.cardToken(), charge.paymentId()),
                charge.idempotencyKey());
        if (outcome instanceof ChargeOutcome.Charged charged && charged.charge().status() == Charge.Status.SUCCEEDED) {
            metrics.outcome(ConnectorMetrics.SUCCEEDED);
            return Attempt.of(CardChargeResult.succeeded(charge, charged.charge().id()));
        }
        if (outcome instanceof ChargeOutcome.Charged held) {
            // Held for the processor's review: neither paid nor declined. The payment stays processing;
            // reconciliation with the processor's report settles it (issue 19, item 3).
            metrics.outcome(ConnectorMetrics.REVIEW);
            LOG.warn("charge {} of payment {} is held for the processor's review; the payment stays processing",
                    held.charge().id(), charge.paymentId());
            return Attempt.HELD;
        }
        if (outcome instanceof ChargeOutcome.Declined declined) {
            metrics.outcome(ConnectorMetrics.DECLINED);
            return Attempt.of(CardChargeResult.declined(charge, declineCode(declined.charge().declineCode())));
        }
        if (outcome instanceof Rejected rejected) {
            metrics.outcome(ConnectorMetrics.REJECTED);
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
            metrics.outcome(ConnectorMetrics.REFUNDED);
            return Attempt.of(CardChargeResult.succeeded(refund, refunded.refund().id()));
        }
        if (outcome instanceof Rejected rejected) {
            metrics.outcome(ConnectorMetrics.REJECTED);
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
     * The answers and the offsets in one transaction, each answer keyed by the card clearing account that
     * asked, so it reaches that account's task. A failure aborts and stops the connector: the requests
     * were not committed, so the next connector makes them again, with the same keys.
     */
    private void publish(KafkaConsumer<String, byte[]> requests, KafkaProducer<String, byte[]> results,
                         List<CardChargeResult> answers, Map<TopicPartition, OffsetAndMetadata> offsets) {
        Serializer<CardChargeResult> writer = Topics.CARD_RESULTS.valueSerde().serializer();
        results.beginTransaction();
        try {
            for (CardChargeResult answer : answers) {
                String topic = Topics.CARD_RESULTS.name();
                results.send(new ProducerRecord<>(topic, answer.clearingAccount(), writer.serialize(topic, answer)));
            }
            if (!offsets.isEmpty()) {
                results.sendOffsetsToTransaction(offsets, requests.groupMetadata());
            }
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

    /**
     * Before partitions leave, what is answered is published with its offsets, so that the next owner
     * starts where this one stopped; their windows are then dropped, and answers still to come for them
     * with it. Lost partitions (this member was already out) are dropped without publishing.
     */
    private final class Rebalance implements ConsumerRebalanceListener {
        private final KafkaConsumer<String, byte[]> requests;
        private final KafkaProducer<String, byte[]> results;

        Rebalance(KafkaConsumer<String, byte[]> requests, KafkaProducer<String, byte[]> results) {
            this.requests = requests;
            this.results = results;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (ready.get()) {
                publishAnswered(requests, results);
            }
            partitions.forEach(windows::remove);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            partitions.forEach(partition -> windows.put(partition, new OffsetWindow()));
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            partitions.forEach(windows::remove);
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
        retries.shutdownNow();
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

    /** A request read at {@code offset} of {@code partition}. */
    private record Request(CardCharge charge, TopicPartition partition, long offset) {
    }

    /** A request's known answer, or the unexpected failure of its call. */
    private record Answered(Request request, Attempt attempt, Throwable failure) {
    }

    /** One attempt: an answer to publish, the processor's hold (nothing to publish), or unknown with why. */
    private record Attempt(boolean known, CardChargeResult result, String reason) {
        static final Attempt HELD = new Attempt(true, null, null);
        
        static Attempt of(CardChargeResult result) {
            return new Attempt(true, result, null);
        }

        static Attempt unknown(String reason) {
            return new Attempt(false, null, reason);
        }
    }
}
