package dev.kassa.app.reconcile;

import dev.kassa.model.CardChargeResult;
import dev.kassa.model.ReconciliationResult;
import dev.kassa.model.ReconciliationResult.Item;
import dev.kassa.model.ReconciliationResult.Kind;
import dev.kassa.model.ReconciliationResult.Run;
import dev.kassa.model.ReconciliationResult.State;
import dev.kassa.model.Topic;
import dev.kassa.model.Topics;
import dev.kassa.processor.CardProcessor;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import dev.kassa.model.KafkaClientProperties;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles one UTC day of card payments and refunds against the card processor's settlement report
 * (docs/architecture.md, Reconciliation). A run holds the day's lock, reads the report through
 * {@link CardProcessor}, compares it line by line with the ledger ({@link Comparison}), publishes the
 * processor's outcome on {@code card.results} for each payment the processor charged that Kassa still
 * has {@code processing} (the lost response) and waits, bounded, for the ledger to show it completed,
 * then publishes what changed on {@code reconciliation.results} and records the run and its changed
 * items in Postgres. It never writes the ledger: a payment is completed by the topology, whose
 * {@code card-payments} store takes one answer per payment, so a second run, or the connector's own
 * late answer, completes nothing twice. A crash before the record is a run that did not happen: the
 * next one finds the same items and publishes them again (at least once).
 */
public final class Reconciler {

    /** Fault injection for the tests: runs once a run's completions are published, before it waits or records. */
    @FunctionalInterface
    public interface Hooks {
        Hooks NONE = paymentIds -> { };

        void afterCompletionsPublished(List<String> paymentIds);
    }

    /** What a run found: the day's summary and its open items. */
    public record Outcome(LocalDate day, Run run, List<Item> open) {
    }

    /** How long a run waits for the payments it completed to show completed in the ledger, unless told. */
    public static final Duration COMPLETION_WAIT_DEFAULT = Duration.ofSeconds(30);
    /** The longest {@code completionWait}. */
    public static final Duration COMPLETION_WAIT_MAX = Duration.ofMinutes(10);
    private static final Duration COMPLETION_POLL = Duration.ofMillis(250);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(60);
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final CardProcessor processor;
    private final DataSource dataSource;
    private final CardLedger ledger;
    private final Producer<String, byte[]> producer;
    private final Duration completionWait;
    private final Clock clock;
    private final Hooks hooks;

    /**
     * @param producer       an idempotent producer ({@code acks=all}) of {@code card.results} and
     *                       {@code reconciliation.results}; the caller closes it
     * @param completionWait how long a run waits for the payments it completed to show completed in the
     *                       ledger before it leaves their items open; 0 to 10 min
     */
    public Reconciler(CardProcessor processor, DataSource dataSource, Producer<String, byte[]> producer,
                      Duration completionWait, Clock clock, Hooks hooks) {
        this.processor = Objects.requireNonNull(processor, "processor");
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.ledger = new CardLedger(dataSource);
        this.producer = Objects.requireNonNull(producer, "producer");
        this.completionWait = requireCompletionWait(completionWait);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.hooks = Objects.requireNonNull(hooks, "hooks");
    }

    /** {@code completionWait} when it is between 0 and {@link #COMPLETION_WAIT_MAX}. */
    public static Duration requireCompletionWait(Duration completionWait) {
        Objects.requireNonNull(completionWait, "completionWait");
        if (completionWait.isNegative() || completionWait.compareTo(COMPLETION_WAIT_MAX) > 0) {
            throw new IllegalArgumentException("--completion-wait must be between 0 and " + COMPLETION_WAIT_MAX
                    + "; got " + completionWait);
        }
        return completionWait;
    }

    /**
     * Reconciles {@code day}.
     *
     * @throws dev.kassa.processor.CardProcessorException when the processor gave no usable report
     * @throws IllegalArgumentException                   when the report is not a settlement report
     * @throws SQLException                               when the ledger or the records cannot be read or written
     */
    public Outcome run(LocalDate day) throws SQLException, InterruptedException {
        try (Connection connection = dataSource.getConnection()) {
            ReconciliationStore.lockDay(connection, day);
            try {
                return runLocked(connection, day);
            } finally {
                ReconciliationStore.unlockDay(connection, day);
            }
        }
    }

    /**
     * The producer a reconciler publishes with: idempotent, {@code acks=all}, with {@code kafkaClient}'s
     * settings (TLS, SASL) added.
     */
    public static KafkaProducer<String, byte[]> producer(String kafkaBootstrap, KafkaClientProperties kafkaClient) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "kassa-reconcile");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(SEND_TIMEOUT.toMillis()));
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(kafkaClient.addTo(properties, "the reconciliation's producer"));
    }

    /** Whether {@code day} was reconciled at least once. */
    public boolean reconciled(LocalDate day) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return ReconciliationStore.reconciled(connection, day);
        }
    }

    private Outcome runLocked(Connection connection, LocalDate day) throws SQLException, InterruptedException {
        List<SettlementLine> lines = SettlementLine.parse(processor.settlementReport(day));
        Map<String, KassaCardPayment> ofDay = ledger.paymentsOfDay(day);
        Set<String> named = new HashSet<>();
        lines.forEach(line -> named.add(line.reference()));
        named.removeAll(ofDay.keySet());
        Map<String, KassaCardPayment> payments = new HashMap<>(ofDay);
        payments.putAll(ledger.payments(named));
        List<Item> fresh = complete(Comparison.compare(lines, payments, ofDay.keySet(), ledger.refundsOfDay(day)),
                payments);
        Merge merge = Merge.of(ReconciliationStore.items(connection, day), fresh);
        Run run = merge.summary(lines.size());
        Instant now = clock.instant();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (Item item : merge.changed()) {
            sent.add(send(Topics.RECONCILIATION_RESULTS, day.toString(), ReconciliationResult.of(day, item, now)));
        }
        sent.add(send(Topics.RECONCILIATION_RESULTS, day.toString(), ReconciliationResult.of(day, run, now)));
        awaitSent(sent);
        ReconciliationStore.save(connection, day, run, merge.changed(), now);
        LOG.info("reconciliation of {}: {} report lines, {} matched, {} completed by reconciliation, {} open, {} items"
                + " new or changed", day, run.reportLines(), run.matched(), run.completed(), run.open(),
                merge.changed().size());
        return new Outcome(day, run, merge.open());
    }

    /**
     * Publishes the processor's outcome for every payment it charged that Kassa has processing, then
     * waits, at most {@code completionWait}, for the ledger to show each completed: its item is resolved
     * then, open otherwise.
     */
    private List<Item> complete(List<Item> items, Map<String, KassaCardPayment> payments)
            throws SQLException, InterruptedException {
        List<String> completing = new ArrayList<>();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (Item item : items) {
            if (item.kind() == Kind.COMPLETED_BY_RECONCILIATION && item.state() == State.OPEN) {
                KassaCardPayment payment = payments.get(item.paymentId());
                CardChargeResult answer = new CardChargeResult(payment.id(), null, payment.clearingAccount(), true,
                        item.processorId(), null);
                sent.add(send(Topics.CARD_RESULTS, payment.clearingAccount(), answer));
                completing.add(payment.id());
            }
        }
        if (completing.isEmpty()) {
            return items;
        }
        awaitSent(sent);
        LOG.warn("reconciliation: published the processor's charge as the answer of {} payment(s) still processing: {}",
                completing.size(), completing);
        hooks.afterCompletionsPublished(List.copyOf(completing));
        Set<String> completed = awaitCompleted(completing);
        return items.stream().map(item -> item.kind() == Kind.COMPLETED_BY_RECONCILIATION
                && completed.contains(item.paymentId())
                ? item.withState(State.RESOLVED, "payment " + item.paymentId() + " was processing in Kassa though charged"
                + " as " + item.processorId() + "; completed through the topology by reconciliation")
                : item).toList();
    }

    private Set<String> awaitCompleted(List<String> paymentIds) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + completionWait.toNanos();
        while (true) {
            Set<String> completed = new HashSet<>();
            ledger.payments(paymentIds).values().stream().filter(KassaCardPayment::charged)
                    .forEach(payment -> completed.add(payment.id()));
            if (completed.size() == paymentIds.size() || System.nanoTime() >= deadline) {
                return completed;
            }
            Thread.sleep(COMPLETION_POLL.toMillis());
        }
    }

    private <V> Future<RecordMetadata> send(Topic<String, V> topic, String key, V value) {
        return producer.send(new ProducerRecord<>(topic.name(), key, topic.valueSerde().serializer()
                .serialize(topic.name(), value)));
    }

    private static void awaitSent(List<Future<RecordMetadata>> sent) throws InterruptedException {
        for (Future<RecordMetadata> record : sent) {
            try {
                record.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException("publishing a reconciliation record failed: " + e.getCause(), e.getCause());
            } catch (TimeoutException e) {
                throw new IllegalStateException("publishing a reconciliation record took more than " + SEND_TIMEOUT, e);
            }
        }
    }
}
