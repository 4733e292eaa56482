package dev.kassa.api.kafka;

import dev.kassa.model.Account;
import dev.kassa.model.AccountEvent;
import dev.kassa.model.CommandReplay;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentEvent;
import dev.kassa.model.PaymentEventType;
import dev.kassa.model.Refund;
import dev.kassa.model.Topics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the topology's outcomes and hands each to the request waiting for it. One consumer without a
 * group is assigned every partition of {@code payments.events}, {@code accounts.events} and
 * {@code payments.replays} (commands the topology deduplicated instead of executing) and starts
 * at their end, so every API instance sees every outcome, whichever instance published the command.
 * It reads {@code read_committed}: an event of an aborted topology transaction is never answered.
 * Every {@code AccountOpened} it reads, whoever opened the account, is also handed to an
 * {@code accountOpened} callback (the API's account facts cache).
 */
public final class OutcomeListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutcomeListener.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    /** A short poll while a request waits for a catch-up, so that a new one is taken soon. */
    private static final Duration CATCH_UP_POLL = Duration.ofMillis(20);
    private static final Duration ERROR_BACKOFF = Duration.ofSeconds(1);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final Consumer<String, byte[]> consumer;
    private final OutcomeWaiters<Payment> payments;
    private final OutcomeWaiters<Account> accounts;
    private final OutcomeWaiters<Refund> refunds;
    private final java.util.function.Consumer<Account> accountOpened;
    private final java.util.function.Consumer<Payment> paymentDecided;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread thread;
    private final Timer outcomeAge;
    /** Requests for {@link #awaitCaughtUp}, handed to the listener's thread, which alone uses the consumer. */
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> catchUpRequests = new ConcurrentLinkedQueue<>();
    /** The listener thread's catch-ups under way: each with the ends of payments.events it must reach. */
    private final List<CatchUp> catchUps = new ArrayList<>();
    private List<TopicPartition> paymentEventPartitions = List.of();

    private record CatchUp(CompletableFuture<Void> caughtUp, Map<TopicPartition, Long> ends) {
    }

    public OutcomeListener(Consumer<String, byte[]> consumer, int waitersMax, MeterRegistry registry) {
        this(consumer, waitersMax, account -> { }, registry);
    }

    /** A listener that also hands every account opened, read from {@code accounts.events}, to {@code accountOpened}. */
    public OutcomeListener(Consumer<String, byte[]> consumer, int waitersMax,
                           java.util.function.Consumer<Account> accountOpened, MeterRegistry registry) {
        this(consumer, waitersMax, accountOpened, payment -> { }, registry);
    }

    /**
     * A listener that also hands every account opened to {@code accountOpened}, and every payment's
     * outcome read from {@code payments.events} to {@code paymentDecided}, each before it wakes the
     * request waiting for it.
     */
    public OutcomeListener(Consumer<String, byte[]> consumer, int waitersMax,
                           java.util.function.Consumer<Account> accountOpened,
                           java.util.function.Consumer<Payment> paymentDecided, MeterRegistry registry) {
        this.consumer = Objects.requireNonNull(consumer, "consumer");
        this.accountOpened = Objects.requireNonNull(accountOpened, "accountOpened");
        this.paymentDecided = Objects.requireNonNull(paymentDecided, "paymentDecided");
        this.payments = new OutcomeWaiters<>(waitersMax);
        this.accounts = new OutcomeWaiters<>(waitersMax);
        this.refunds = new OutcomeWaiters<>(waitersMax);
        this.thread = new Thread(this::run, "kassa-api-outcomes");
        this.thread.setDaemon(true);
        this.outcomeAge = Timer.builder("kassa.api.outcome.age")
                .description("Time from a payment command's publishing (its record timestamp) until its outcome"
                        + " reached this listener: the topology's pickup, decision and commit, and the read back")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        Gauge.builder("kassa.api.outcome.waiters", () -> payments.size() + accounts.size() + refunds.size())
                .description("Requests currently waiting for an outcome from the topology")
                .register(registry);
    }

    /**
     * Assigns every partition of the outcome topics, positions the consumer at their end and starts
     * reading. Returns once the positions are fixed, so no outcome of a command published afterwards
     * can be skipped.
     *
     * @throws IllegalStateException when an outcome topic does not exist
     */
    public void start(Duration timeout) {
        List<TopicPartition> partitions = new ArrayList<>();
        paymentEventPartitions = partitionsOf(Topics.PAYMENTS_EVENTS.name(), timeout);
        partitions.addAll(paymentEventPartitions);
        partitions.addAll(partitionsOf(Topics.ACCOUNTS_EVENTS.name(), timeout));
        partitions.addAll(partitionsOf(Topics.PAYMENTS_REPLAYS.name(), timeout));
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        // seekToEnd is lazy; asking for each position resolves it now rather than at the first poll.
        partitions.forEach(partition -> consumer.position(partition, timeout));
        running.set(true);
        started.set(true);
        thread.start();
        LOG.info("outcome listener reading {} partitions from their end", partitions.size());
    }

    private List<TopicPartition> partitionsOf(String topic, Duration timeout) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist; create Kassa's topics before starting the API");
        }
        return infos.stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
    }

    /**
     * Waits until this listener has read {@code payments.events} as far as its committed end at the
     * call, so that every payment decided before the call has been handed on (read-your-writes at an
     * instance that did not answer it, docs/api.md); false when that takes longer than {@code timeout}.
     */
    public boolean awaitCaughtUp(Duration timeout) {
        CompletableFuture<Void> caughtUp = new CompletableFuture<>();
        catchUpRequests.add(caughtUp);
        try {
            caughtUp.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            caughtUp.cancel(false);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Registers a wait for the terminal outcome (completed or failed) of payment {@code paymentId}. */
    public Awaiting<Payment> awaitPayment(String paymentId) {
        return payments.register(paymentId);
    }

    /** Registers a wait for the outcome (completed or failed) of refund {@code refundId}. */
    public Awaiting<Refund> awaitRefund(String refundId) {
        return refunds.register(refundId);
    }

    /** Registers a wait for the opening of account {@code accountId}. */
    public Awaiting<Account> awaitAccount(String accountId) {
        return accounts.register(accountId);
    }

    private void run() {
        try {
            while (running.get()) {
                pollOnce();
            }
        } catch (WakeupException e) {
            if (running.get()) {
                LOG.error("outcome listener woken up while running", e);
            }
        } finally {
            consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
        }
    }

    private void pollOnce() {
        try {
            takeCatchUpRequests();
            for (ConsumerRecord<String, byte[]> record : consumer.poll(catchUps.isEmpty() ? POLL_TIMEOUT : CATCH_UP_POLL)) {
                dispatch(record);
            }
            completeCatchUps();
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            // A broker outage must not end the listener: requests then answer 202 until it recovers.
            LOG.warn("outcome listener cannot poll, retrying in {}: {}", ERROR_BACKOFF, e.toString());
            sleep(ERROR_BACKOFF);
        }
    }

    /** Hands one record's outcome to its waiter; unreadable records are logged and skipped. */
    void dispatch(ConsumerRecord<String, byte[]> record) {
        try {
            if (record.topic().equals(Topics.PAYMENTS_EVENTS.name())) {
                PaymentEvent event = Topics.PAYMENTS_EVENTS.valueSerde().deserializer().deserialize(record.topic(), record.value());
                if (event != null && isTerminal(event.type())) {
                    outcomeAge.record(Math.max(0, System.currentTimeMillis() - record.timestamp()), TimeUnit.MILLISECONDS);
                    // First, so that a payment this instance answers is readable here when it answers.
                    paymentDecided.accept(event.payment());
                    payments.complete(event.paymentId(), event.payment());
                } else if (event != null && isRefundOutcome(event.type())) {
                    refunds.complete(event.refund().id(), event.refund());
                }
            } else if (record.topic().equals(Topics.ACCOUNTS_EVENTS.name())) {
                AccountEvent event = Topics.ACCOUNTS_EVENTS.valueSerde().deserializer().deserialize(record.topic(), record.value());
                if (event != null && event.type() == AccountEvent.Type.AccountOpened) {
                    // First, so that an opening this instance answers is already known when it answers.
                    accountOpened.accept(event.account());
                    accounts.complete(event.account().id(), event.account());
                }
            } else if (record.topic().equals(Topics.PAYMENTS_REPLAYS.name())) {
                CommandReplay replay = Topics.PAYMENTS_REPLAYS.valueSerde().deserializer().deserialize(record.topic(), record.value());
                if (replay != null) {
                    // Ids are unique and typed (pay_/acct_/re_): at most one of the tables knows requestedId.
                    payments.replay(replay.requestedId(), replay);
                    accounts.replay(replay.requestedId(), replay);
                    refunds.replay(replay.requestedId(), replay);
                }
            }
        } catch (RuntimeException e) {
            // The topology and the sink dead-letter such records; here it only means no early answer.
            LOG.warn("skipping unreadable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), e.toString());
        }
    }

    /** Turns new catch-up requests into targets: the committed ends of payments.events now. */
    private void takeCatchUpRequests() {
        CompletableFuture<Void> request = catchUpRequests.poll();
        if (request == null) {
            return;
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(paymentEventPartitions, POLL_TIMEOUT);
        for (; request != null; request = catchUpRequests.poll()) {
            catchUps.add(new CatchUp(request, ends));
        }
        completeCatchUps();
    }

    private void completeCatchUps() {
        catchUps.removeIf(catchUp -> {
            if (catchUp.caughtUp().isDone()) {
                return true;
            }
            for (Map.Entry<TopicPartition, Long> end : catchUp.ends().entrySet()) {
                if (consumer.position(end.getKey()) < end.getValue()) {
                    return false;
                }
            }
            catchUp.caughtUp().complete(null);
            return true;
        });
    }

    private static boolean isTerminal(PaymentEventType type) {
        return type == PaymentEventType.PaymentCompleted || type == PaymentEventType.PaymentFailed;
    }

    private static boolean isRefundOutcome(PaymentEventType type) {
        return type == PaymentEventType.RefundCompleted || type == PaymentEventType.RefundFailed;
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
        }
    }

    /** Stops reading; the reading thread closes the consumer. Safe to call more than once. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (!started.get()) {
            consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT)); // never started: no reading thread will close it
            return;
        }
        running.set(false);
        consumer.wakeup();
        try {
            thread.join(CLOSE_TIMEOUT.toMillis() * 2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
