package dev.kassa.ledger.sink;

import static dev.kassa.testing.LedgerEvents.EXTERNAL;
import static dev.kassa.testing.LedgerEvents.completed;
import static dev.kassa.testing.LedgerEvents.initiated;
import static dev.kassa.testing.LedgerEvents.newAccountId;
import static dev.kassa.testing.LedgerEvents.opened;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.kassa.ledger.OffsetAdvance;
import dev.kassa.ledger.postgres.LedgerWriter;
import dev.kassa.ledger.postgres.Migrations;
import dev.kassa.ledger.postgres.PostgresSettings;
import dev.kassa.model.LedgerEntry;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentEvent;
import dev.kassa.model.PaymentEventType;
import dev.kassa.model.Topics;
import dev.kassa.runtime.EmbeddedPostgresServer;
import dev.kassa.runtime.EmbeddedRuntime;
import dev.kassa.testing.BalanceOracle;
import dev.kassa.testing.CommittedRecords;
import dev.kassa.testing.DedicatedRuntime;
import dev.kassa.testing.EventLog.Sent;
import dev.kassa.testing.EventLog;
import dev.kassa.testing.KafkaProbe;
import dev.kassa.testing.LedgerEvents;
import dev.kassa.testing.LedgerSql;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ledger sink on a real KRaft broker and a real Postgres: where it starts, what it books and what
 * it must never book, how it survives a restart of itself and an outage of Postgres. Every test gets
 * freshly created {@code accounts.events}, {@code payments.events} and {@code kassa.dead-letter}
 * topics (two partitions each), a
 * database of its own at the current schema and a consumer group of its own; events are written the
 * way the topology writes them, in Kafka transactions, and everything is checked with SQL against an
 * oracle kept by the test.
 */
@Tag("integration")
@ExtendWith(DedicatedRuntime.class)
class LedgerSinkOnBrokerIT {

    private static final int PARTITIONS = 2;
    private static final int UNHEALTHY_AFTER_FAILURES = 3;
    private static final Duration SINK_WAIT = Duration.ofSeconds(30);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    /** Short, so that a sink notices a stopped Postgres within a second or two. */
    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(1);
    private static final String ACCOUNTS = Topics.ACCOUNTS_EVENTS.name();
    private static final String PAYMENTS = Topics.PAYMENTS_EVENTS.name();
    private static final String DEAD_LETTER = Topics.DEAD_LETTER.name();
    /** The topics every test gets anew: the sink's inputs and the dead-letter topic it publishes to. */
    private static final List<String> RECREATED_TOPICS =
            Stream.concat(SinkSettings.TOPICS.stream(), Stream.of(DEAD_LETTER)).toList();
    private static final AtomicInteger TESTS = new AtomicInteger();

    /**
     * A runtime of this class' own, not the shared one: the gateway on the shared runtime runs a sink
     * of its own on the same two topics, which would book these synthetic events and trip over them.
     */
    private final EmbeddedRuntime runtime;

    private final Oracle oracle = new Oracle();
    private final List<RunningSink> sinks = new ArrayList<>();
    private final List<Throwable> sinkCrashes = new CopyOnWriteArrayList<>();
    private String group;
    private HikariDataSource pool;
    private LedgerSql sql;
    private EventLog log;

    LedgerSinkOnBrokerIT(EmbeddedRuntime runtime) {
        this.runtime = runtime;
    }

    @BeforeEach
    void freshTopicsLedgerAndProducer() throws Exception {
        int test = TESTS.incrementAndGet();
        group = "ledger-sink-on-broker-" + test;
        recreateSinkTopics();
        String jdbcUrl = createDatabase("ledger_on_broker_" + test);
        pool = new PostgresSettings(jdbcUrl, EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD, 4,
                CONNECTION_TIMEOUT, Duration.ofSeconds(30)).openPool();
        Migrations.apply(pool);
        sql = new LedgerSql(jdbcUrl);
        log = new EventLog(runtime.bootstrapServers(), group + "-producer");
    }

    @AfterEach
    void stopSinksAndPostgresBack() {
        try {
            sinks.forEach(RunningSink::stop);
        } finally {
            if (log != null) {
                log.close();
            }
            if (pool != null) {
                pool.close();
            }
            // A failed outage test must not leave the next test without Postgres.
            runtime.postgres().start();
        }
        assertThat(sinkCrashes).as("sink loops that died of an unexpected error").isEmpty();
    }

    @Test
    void sinkStartsEveryPartitionAtTheOffsetStoredInPostgresWhateverKafkaSays() {
        // Plan: commit batch A (an account opened, a deposit into it) on accounts-0 and payments-0, then
        // batch B (two more accounts and a deposit into each) on accounts-0, payments-0 and payments-1.
        // Postgres is pre-seeded with offsets just past A on accounts-0 and payments-0, while the
        // group's committed offsets in Kafka point at the end of every partition. A sink seeking from
        // Postgres books B and nothing of A; one trusting Kafka would book nothing, one starting at the
        // beginning would book A too.
        Oracle skipped = new Oracle();
        String skippedAccount = newAccountId();
        log.begin();
        sendOpening(skipped, 0, skippedAccount);
        sendDeposit(skipped, 0, skippedAccount, 5_000);
        commit(skipped);

        String first = newAccountId();
        String second = newAccountId();
        log.begin();
        sendOpening(oracle, 0, first);
        sendOpening(oracle, 0, second);
        sendDeposit(oracle, 0, first, 7_000);
        sendDeposit(oracle, 1, second, 3_000);
        commit(oracle);
        sql.update("INSERT INTO sink_offsets (consumer_group, topic, partition, next_offset)"
                + " VALUES (?, ?, 0, ?), (?, ?, 0, ?)",
                group, ACCOUNTS, skipped.nextOffset(ACCOUNTS, 0), group, PAYMENTS, skipped.nextOffset(PAYMENTS, 0));
        commitKafkaOffsetsAtTheEndOfEveryPartition();

        LedgerSink sink = startSink(settings(100)).sink();

        awaitCaughtUp();
        assertThat(sql.appliedEventIds()).containsExactlyInAnyOrderElementsOf(oracle.eventIds());
        assertThat(sql.appliedEventIds()).doesNotContainAnyElementsOf(skipped.eventIds());
        assertThat(sql.balances()).isEqualTo(oracle.balances());
        assertThat(sql.count("SELECT count(*) FROM accounts WHERE id = ?", skippedAccount)).isZero();
        await().atMost(SINK_WAIT).until(() -> sink.isReady() && sink.isHealthy());
    }

    @Test
    void eventsAndTheirOffsetsBecomeVisibleTogetherBatchAfterBatch() throws Exception {
        // Plan: open 20 accounts and let the sink book them. Then, while it runs with 10 records per
        // poll (dozens of batches), commit 12 transactions of deposits and payments over both payment
        // partitions. Another connection keeps taking one-statement snapshots of sink_offsets and
        // applied_events: in every snapshot the applied events must be exactly the committed events
        // below the stored offsets — an event without its offset, or an offset without its events,
        // would be a half-visible batch. At the end the balances must equal the oracle's.
        List<String> accounts = IntStream.range(0, 20).mapToObj(i -> newAccountId()).toList();
        log.begin();
        IntStream.range(0, accounts.size()).forEach(i -> sendOpening(oracle, i % PARTITIONS, accounts.get(i)));
        commit(oracle);
        startSink(settings(10));
        awaitCaughtUp();

        SnapshotRecorder recorder = SnapshotRecorder.start(sql, group);
        Random random = new Random(20_261_125);
        for (int transaction = 0; transaction < 12; transaction++) {
            log.begin();
            for (int event = 0; event < 10; event++) {
                sendRandomMovement(random, accounts, transaction < 2);
            }
            commit(oracle);
        }
        awaitCaughtUp();
        List<Snapshot> snapshots = recorder.stop();

        List<Snapshot> inconsistent = snapshots.stream().filter(s -> !s.matches(oracle)).toList();
        assertThat(inconsistent).as("snapshots where applied events and stored offsets disagree").isEmpty();
        assertThat(snapshots.stream().filter(s -> s.isBetween(accounts.size(), oracle.eventIds().size())))
                .as("snapshots taken between the first and the last batch").isNotEmpty();
        assertThat(sql.balances()).isEqualTo(oracle.balances());
        assertThat(sql.count("SELECT count(*) FROM ledger_entries")).isEqualTo(2L * oracle.completions());
    }

    @Test
    void abortedTransactionIsNeverBookedAndTheSinkReadsPastIt() {
        // Plan: with the sink running, a second producer opens a transaction holding an account opening
        // and a deposit into that account, and writes them to the log. Our producer then commits another
        // opening and deposit on the same partitions; the second producer aborts; we commit one more
        // deposit. Once the sink has stored offsets past that last deposit it has read over the aborted
        // records: none of their events, accounts, payments or entries may be in Postgres, nor may they
        // turn up as dead letters.
        LedgerSink sink = startSink(settings(100)).sink();
        String ghost = newAccountId();
        String real = newAccountId();
        Oracle aborted = new Oracle();
        try (EventLog aborting = new EventLog(runtime.bootstrapServers(), group + "-aborting")) {
            aborting.begin();
            Payment ghostDeposit = LedgerEvents.deposit(ghost, 9_000);
            aborting.account(0, opened(ghost)).payment(0, completed(ghostDeposit));
            aborted.committed(aborting.flush());

            log.begin();
            sendOpening(oracle, 0, real);
            sendDeposit(oracle, 0, real, 4_000);
            commit(oracle);
            aborting.abort();
        }
        log.begin();
        sendDeposit(oracle, 0, real, 600);
        commit(oracle);

        awaitCaughtUp();
        assertThat(aborted.nextOffset(ACCOUNTS, 0)).isLessThan(oracle.nextOffset(ACCOUNTS, 0));
        assertThat(aborted.nextOffset(PAYMENTS, 0)).isLessThan(oracle.nextOffset(PAYMENTS, 0));
        assertThat(sql.appliedEventIds()).containsExactlyInAnyOrderElementsOf(oracle.eventIds());
        assertThat(sql.count("SELECT count(*) FROM accounts WHERE id = ?", ghost)).isZero();
        assertThat(sql.count("SELECT count(*) FROM payments WHERE destination = ?", ghost)).isZero();
        assertThat(sql.count("SELECT count(*) FROM ledger_entries WHERE account_id = ?", ghost)).isZero();
        assertThat(sql.count("SELECT count(*) FROM dead_letters")).isZero();
        assertThat(sql.balances()).isEqualTo(oracle.balances());
        assertThat(sink.isHealthy()).isTrue();
    }

    @Test
    void undecodableRecordsBecomeDeadLettersWithTheirReasonAndThePartitionMovesOn() {
        // Plan: one committed transaction carries, on accounts-0, JSON that is no AccountEvent and then
        // a valid opening; on payments-0, bytes that are not JSON, a tombstone and then a valid deposit.
        // The sink must keep each bad record in dead_letters with its key, its raw value and the reason,
        // book the valid events behind them, and store offsets past everything; and it must publish
        // each bad record, unchanged, to kassa.dead-letter with its reason and origin in the headers.
        LedgerSink sink = startSink(settings(100)).sink();
        String account = newAccountId();
        byte[] notAnAccountEvent = "{\"schemaVersion\": 1}".getBytes(StandardCharsets.UTF_8);
        byte[] notJson = "not json".getBytes(StandardCharsets.UTF_8);
        log.begin();
        log.raw(ACCOUNTS, 0, "bad-account", notAnAccountEvent);
        sendOpening(oracle, 0, account);
        log.raw(PAYMENTS, 0, "bad-payment", notJson).raw(PAYMENTS, 0, "deleted-payment", null);
        sendDeposit(oracle, 0, account, 2_500);
        List<Sent> sent = commit(oracle);

        awaitCaughtUp();
        List<List<String>> deadLetters = sql.query("SELECT topic, partition, record_offset, encode(raw_key, 'escape'),"
                + " encode(raw_value, 'escape'), reason FROM dead_letters ORDER BY topic, record_offset");
        assertThat(deadLetters).hasSize(3);
        assertDeadLetter(deadLetters.get(0), sent.get(0), "bad-account", "{\"schemaVersion\": 1}",
                "cannot read AccountEvent from JSON");
        assertDeadLetter(deadLetters.get(1), sent.get(2), "bad-payment", "not json", "cannot read PaymentEvent from JSON");
        assertDeadLetter(deadLetters.get(2), sent.get(3), "deleted-payment", null, "tombstone");
        assertThat(sql.appliedEventIds()).containsExactlyInAnyOrderElementsOf(oracle.eventIds());
        assertThat(sql.balances()).isEqualTo(oracle.balances());
        await().atMost(SINK_WAIT).until(() -> sink.isReady() && sink.isHealthy());

        Map<String, ConsumerRecord<byte[], byte[]>> published = awaitPublishedDeadLetters(3);
        assertPublished(published, sent.get(0), "bad-account", notAnAccountEvent, "cannot read AccountEvent from JSON");
        assertPublished(published, sent.get(2), "bad-payment", notJson, "cannot read PaymentEvent from JSON");
        assertPublished(published, sent.get(3), "deleted-payment", null, "tombstone");
        await("dead letters marked published").atMost(SINK_WAIT)
                .until(() -> sql.count("SELECT count(*) FROM dead_letters WHERE published_at IS NULL") == 0);
    }

    @Test
    void unbalancedEventIsDeadLetteredAndPublishedAndTheRecordsAfterItAreBooked() {
        // Plan: one committed transaction opens payer and payee, deposits into the payer, and then
        // holds a payment from payer to payee that took the long way (initiated at 1, completed at 2)
        // and whose completion credits the payee one unit more than it debits the payer, followed by a
        // deposit into the payee on the same partition. The completion can never be booked: the sink
        // must set it aside in dead_letters with the reason and its exact bytes, publish it to
        // kassa.dead-letter (read here read_committed), book everything else (oracle: the deposits and
        // the payment's initiation, never its completion), store offsets past it and stay healthy.
        LedgerSink sink = startSink(settings(100)).sink();
        String payer = newAccountId();
        String payee = newAccountId();
        Payment payment = LedgerEvents.payment(payer, payee, 1_000);
        PaymentEvent unbalanced = PaymentEvent.of(PaymentEventType.PaymentCompleted, 2, LedgerEvents.now(),
                payment.completed(), List.of(new LedgerEntry(payer, -1_000, payment.currency()),
                        new LedgerEntry(payee, 1_001, payment.currency())));
        byte[] unbalancedBytes = Topics.PAYMENTS_EVENTS.valueSerde().serializer().serialize(PAYMENTS, unbalanced);
        log.begin();
        sendOpening(oracle, 0, payer);
        sendOpening(oracle, 0, payee);
        sendDeposit(oracle, 0, payer, 5_000);
        log.payment(0, initiated(payment)).raw(PAYMENTS, 0, payment.id(), unbalancedBytes);
        sendDeposit(oracle, 0, payee, 700);
        List<Sent> sent = commit(oracle);
        Sent poison = sent.get(4);
        String reason = "ledger transaction " + unbalanced.eventId() + " does not sum to zero in usd: +1";

        awaitCaughtUp();
        assertThat(sql.query("SELECT topic, partition, record_offset, encode(raw_key, 'escape'),"
                + " encode(raw_value, 'hex'), reason FROM dead_letters")).containsExactly(List.of(PAYMENTS, "0",
                Long.toString(poison.offset()), payment.id(), HexFormat.of().formatHex(unbalancedBytes), reason));
        assertThat(sql.appliedEventIds()).containsExactlyInAnyOrderElementsOf(oracle.eventIds())
                .doesNotContain(unbalanced.eventId());
        assertThat(sql.balances()).isEqualTo(oracle.balances());
        assertThat(sql.count("SELECT count(*) FROM ledger_entries")).isEqualTo(2L * oracle.completions());
        await().atMost(SINK_WAIT).until(() -> sink.isReady() && sink.isHealthy());

        Map<String, ConsumerRecord<byte[], byte[]>> published = awaitPublishedDeadLetters(1);
        assertPublished(published, poison, payment.id(), unbalancedBytes, reason);
        await("the dead letter marked published").atMost(SINK_WAIT)
                .until(() -> sql.count("SELECT count(*) FROM dead_letters WHERE published_at IS NULL") == 0);
    }

    @Test
    void paymentsArrivingBeforeTheirAccountOpenedAreBookedOnceItArrives() {
        // Plan: with the sink running, commit a deposit into account A and a payment from A to B while
        // neither account has been opened. The sink must neither book nor skip them: it retries, turns
        // unhealthy, and stores no payments offset. Then both AccountOpened events are committed, on
        // two partitions, and the sink must book everything exactly once and be healthy again.
        LedgerSink sink = startSink(settings(100)).sink();
        String payer = newAccountId();
        String payee = newAccountId();
        log.begin();
        sendDeposit(oracle, 0, payer, 8_000);
        sendPayment(oracle, 0, payer, payee, 3_000);
        commit(oracle);

        await("the sink failing on the unopened accounts").atMost(SINK_WAIT).until(() -> !sink.isHealthy());
        assertThat(sink.isReady()).isFalse();
        assertThat(sql.count("SELECT count(*) FROM payments")).isZero();
        assertThat(sql.storedOffsets(group)).doesNotContainKeys(PAYMENTS + "/0", PAYMENTS + "/1");

        log.begin();
        sendOpening(oracle, 0, payer);
        sendOpening(oracle, 1, payee);
        commit(oracle);

        awaitCaughtUp();
        await().atMost(SINK_WAIT).until(() -> sink.isReady() && sink.isHealthy());
        assertThat(sql.appliedEventIds()).containsExactlyInAnyOrderElementsOf(oracle.eventIds());
        assertThat(sql.balances()).isEqualTo(oracle.balances());
        assertThat(sql.count("SELECT count(*) FROM ledger_entries")).isEqualTo(2L * oracle.completions());
    }

    @Test
    void restartedSinkBooksAPaymentWhoseAccountsAndFundsArriveOnPartitionsWithoutStoredOffsets() {
        // Plan: a first sink books an opening and a deposit on accounts-0 and payments-0, so that those
        // two partitions have stored offsets, and is closed. While no sink runs we commit, in one
        // transaction, two openings on accounts-1 and a deposit on payments-1 (partitions the ledger has
        // never stored an offset for) and a payment on payments-0 that needs all three. A restarted sink
        // must book the payment: it may not keep failing it because the partitions holding what it
        // needs are never read.
        String earlier = newAccountId();
        log.begin();
        sendOpening(oracle, 0, earlier);
        sendDeposit(oracle, 0, earlier, 1_000);
        commit(oracle);
        RunningSink first = startSink(settings(100));
        awaitCaughtUp();
        first.stop();
        assertThat(sql.storedOffsets(group)).containsOnlyKeys(ACCOUNTS + "/0", PAYMENTS + "/0");

        String payer = newAccountId();
        String payee = newAccountId();
        log.begin();
        sendOpening(oracle, 1, payer);
        sendOpening(oracle, 1, payee);
        sendDeposit(oracle, 1, payer, 6_000);
        sendPayment(oracle, 0, payer, payee, 2_000);
        commit(oracle);
        LedgerSink restarted = startSink(settings(100)).sink();

        awaitCaughtUp();
        assertThat(sql.appliedEventIds()).containsExactlyInAnyOrderElementsOf(oracle.eventIds());
        assertThat(sql.balances()).isEqualTo(oracle.balances());
        await().atMost(SINK_WAIT).until(() -> restarted.isReady() && restarted.isHealthy());
    }

    @Test
    void newSinkContinuesExactlyWhereAClosedOneStopped() {
        // Plan: commit 30 accounts with a deposit each and 150 payments; a sink reading 5 records per
        // poll books part of them and is closed mid-stream, which must take less than its close bound.
        // We then empty applied_events, the event-id check that would quietly absorb a replay, so that
        // only the stored offsets stand between the next sink and a double booking (which the primary
        // key of ledger_entries would turn into a stuck sink). After 100 more committed events, a new
        // sink in the same group must apply exactly the events the first did not, and the balances
        // must equal the oracle's.
        List<String> accounts = IntStream.range(0, 30).mapToObj(i -> newAccountId()).toList();
        Random random = new Random(30);
        log.begin();
        accounts.forEach(account -> sendOpening(oracle, random.nextInt(PARTITIONS), account));
        accounts.forEach(account -> sendDeposit(oracle, random.nextInt(PARTITIONS), account, 10_000));
        commit(oracle);
        commitRandomPayments(random, accounts, 150, 25);

        RunningSink first = startSink(settings(5));
        await().atMost(SINK_WAIT).pollInterval(Duration.ofMillis(10))
                .until(() -> sql.count("SELECT count(*) FROM applied_events") >= 40);
        long closeStarted = System.nanoTime();
        first.stop();
        assertThat(Duration.ofNanos(System.nanoTime() - closeStarted)).as("close of a busy sink")
                .isLessThan(first.closeTimeout());
        Set<String> bookedByFirst = sql.appliedEventIds();
        sql.update("TRUNCATE applied_events");

        commitRandomPayments(random, accounts, 50, 25);
        startSink(settings(5));
        awaitCaughtUp();

        Set<String> bookedBySecond = sql.appliedEventIds();
        assertThat(bookedBySecond).as("events applied by both sinks").doesNotContainAnyElementsOf(bookedByFirst);
        Set<String> bookedByEither = new HashSet<>(bookedByFirst);
        bookedByEither.addAll(bookedBySecond);
        assertThat(bookedByEither).containsExactlyInAnyOrderElementsOf(oracle.eventIds());
        assertThat(sql.count("SELECT count(*) FROM ledger_entries")).isEqualTo(2L * oracle.completions());
        assertThat(sql.balances()).isEqualTo(oracle.balances());
    }

    @Test
    void aLaneThatFailsIsSoughtAgainWhileTheOtherKeepsWhatItCommitted() {
        // Plan: with two writers, a poll holding payment events of both partitions is written in two
        // lanes side by side, each batch its own transaction (docs/architecture.md, "ledger-sink"). A
        // first sink books the accounts and their deposits and is closed. 40 payments are committed
        // over both partitions, and a second sink in the group starts from the stored offsets: its
        // first poll holds both partitions, each lane one batch. Its commit hook fails the first batch
        // that holds only partition 1 (a Postgres error, as far as the sink can tell). Partition 0's
        // lane must keep what it committed; partition 1 must be sought again and retried; in the end
        // every event is booked exactly once and the balances are the oracle's.
        List<String> accounts = commitFundedAccounts(10, 5_000);
        RunningSink first = startSink(settings(100));
        awaitCaughtUp();
        first.stop();
        commitRandomPayments(new Random(40), accounts, 40, 10);
        TopicPartition payments0 = new TopicPartition(PAYMENTS, 0);
        TopicPartition payments1 = new TopicPartition(PAYMENTS, 1);
        List<Set<TopicPartition>> hooked = new CopyOnWriteArrayList<>();
        AtomicBoolean failedOnce = new AtomicBoolean();

        startSink(settings(100, 10_000), batch -> {
            Set<TopicPartition> partitions = batch.offsets().stream().map(OffsetAdvance::partition)
                    .collect(Collectors.toSet());
            hooked.add(partitions);
            if (partitions.equals(Set.of(payments1)) && failedOnce.compareAndSet(false, true)) {
                throw new SQLException("injected failure of partition 1's lane");
            }
        });

        awaitCaughtUp();
        assertThat(failedOnce).isTrue();
        assertThat(hooked.subList(0, 2)).as("the lanes of the first poll, in whichever order they reached the hook")
                .containsExactlyInAnyOrder(Set.of(payments0), Set.of(payments1));
        assertThat(hooked.subList(2, hooked.size())).as("batches after the first poll: partition 1's retry only")
                .isNotEmpty().containsOnly(Set.of(payments1));
        assertThat(sql.appliedEventIds()).containsExactlyInAnyOrderElementsOf(oracle.eventIds());
        assertThat(sql.count("SELECT count(*) FROM ledger_entries")).isEqualTo(2L * oracle.completions());
        assertThat(sql.balances()).isEqualTo(oracle.balances());
    }

    @Test
    void postgresOutageMakesTheSinkUnreadyAndEverythingIsBookedOnceWhenItReturns() {
        // Plan: the sink books a first set of events and is ready. We stop the real Postgres server and
        // commit a second set. The sink cannot write them: it must report itself not ready and, after
        // its configured failures, not healthy, while it keeps its partitions paused. We start Postgres
        // again: the sink must seek from its stored offsets, book the second set exactly once, and be
        // ready and healthy again.
        List<String> accounts = commitFundedAccounts(6, 5_000);
        LedgerSink sink = startSink(settings(100)).sink();
        awaitCaughtUp();
        await().atMost(SINK_WAIT).until(() -> sink.isReady() && sink.isHealthy());

        runtime.postgres().stop();
        commitRandomPayments(new Random(6), accounts, 40, 10);
        await("the sink noticing the outage").atMost(SINK_WAIT).until(() -> !sink.isReady() && !sink.isHealthy());
        runtime.postgres().start();

        awaitCaughtUp();
        await().atMost(SINK_WAIT).until(() -> sink.isReady() && sink.isHealthy());
        assertThat(sql.appliedEventIds()).containsExactlyInAnyOrderElementsOf(oracle.eventIds());
        assertThat(sql.count("SELECT count(*) FROM ledger_entries")).isEqualTo(2L * oracle.completions());
        assertThat(sql.count("SELECT count(*) FROM dead_letters")).isZero();
        assertThat(sql.balances()).isEqualTo(oracle.balances());
    }

    @Test
    void idleSinkNoticesAPostgresOutageAndIsReadyAgainWhenItReturns() {
        // Plan: the sink books a first set of events and has nothing more to write. We stop Postgres
        // and send nothing: the sink's periodic work on Postgres (the key purge) must fail and make it
        // report itself not ready; once Postgres is back it must be ready again, with nothing booked twice.
        String account = newAccountId();
        log.begin();
        sendOpening(oracle, 0, account);
        sendDeposit(oracle, 0, account, 5_000);
        commit(oracle);
        LedgerSink sink = startSink(settings(100)).sink();
        awaitCaughtUp();
        await().atMost(SINK_WAIT).until(() -> sink.isReady() && sink.isHealthy());

        runtime.postgres().stop();
        await("the idle sink noticing the outage").atMost(SINK_WAIT).until(() -> !sink.isReady());
        runtime.postgres().start();

        await().atMost(SINK_WAIT).until(() -> sink.isReady() && sink.isHealthy());
        assertThat(sql.appliedEventIds()).containsExactlyInAnyOrderElementsOf(oracle.eventIds());
        assertThat(sql.balances()).isEqualTo(oracle.balances());
    }

    // ---- events ----

    /**
     * Opens {@code count} accounts and deposits {@code amount} into each, in one committed transaction,
     * spread over the partitions in turn.
     */
    private List<String> commitFundedAccounts(int count, long amount) {
        List<String> accounts = IntStream.range(0, count).mapToObj(i -> newAccountId()).toList();
        log.begin();
        IntStream.range(0, count).forEach(i -> sendOpening(oracle, i % PARTITIONS, accounts.get(i)));
        IntStream.range(0, count).forEach(i -> sendDeposit(oracle, i % PARTITIONS, accounts.get(i), amount));
        commit(oracle);
        return accounts;
    }

    private void sendOpening(Oracle target, int partition, String account) {
        log.account(partition, opened(account));
        target.balances.open(account);
    }

    private void sendDeposit(Oracle target, int partition, String account, long amount) {
        Payment deposit = LedgerEvents.deposit(account, amount);
        log.payment(partition, completed(deposit));
        target.balances.move(EXTERNAL, account, amount);
        target.completions++;
    }

    private void sendPayment(Oracle target, int partition, String source, String destination, long amount) {
        Payment payment = LedgerEvents.payment(source, destination, amount);
        log.payment(partition, completed(payment));
        target.balances.move(source, destination, amount);
        target.completions++;
    }

    /** A deposit (while {@code deposits}) or a payment the payer can afford, between random accounts. */
    private void sendRandomMovement(Random random, List<String> accounts, boolean deposits) {
        String account = accounts.get(random.nextInt(accounts.size()));
        int partition = random.nextInt(PARTITIONS);
        if (deposits) {
            sendDeposit(oracle, partition, account, 1_000 + random.nextInt(1_000));
            return;
        }
        String payee = accounts.get(random.nextInt(accounts.size()));
        long amount = 1 + random.nextInt(50);
        if (!payee.equals(account) && oracle.balances.balance(account) >= amount) {
            sendPayment(oracle, partition, account, payee, amount);
        } else {
            sendDeposit(oracle, partition, account, amount);
        }
    }

    /** {@code count} affordable payments between random accounts, {@code perTransaction} to a transaction. */
    private void commitRandomPayments(Random random, List<String> accounts, int count, int perTransaction) {
        for (int sent = 0; sent < count; sent += perTransaction) {
            log.begin();
            for (int i = 0; i < perTransaction; i++) {
                sendRandomMovement(random, accounts, false);
            }
            commit(oracle);
        }
    }

    private List<Sent> commit(Oracle target) {
        List<Sent> sent = log.commit();
        target.committed(sent);
        return sent;
    }

    // ---- the sink ----

    /** The defaults, but small polls and short backoffs so that a test sees many batches and quick retries. */
    private SinkSettings settings(int maxPollRecords) {
        return settings(maxPollRecords, 100);
    }

    /** As {@link #settings(int)}, with transactions of at most {@code batchRowsMax} rows. */
    private SinkSettings settings(int maxPollRecords, int batchRowsMax) {
        return SinkSettings.builder()
                .bootstrapServers(runtime.bootstrapServers())
                .groupId(group)
                .clientId(group)
                .maxPollRecords(maxPollRecords)
                .batchRowsMax(batchRowsMax)
                .pollTimeout(Duration.ofMillis(100))
                .retryBackoffMin(Duration.ofMillis(20))
                .retryBackoffMax(Duration.ofMillis(500))
                .unhealthyAfterFailures(UNHEALTHY_AFTER_FAILURES)
                .build();
    }

    /** A sink of the test's group on its own thread, writing to the test's database; stopped after the test. */
    private RunningSink startSink(SinkSettings settings) {
        return startSink(settings, LedgerWriter.CommitHook.NONE);
    }

    /** As {@link #startSink(SinkSettings)}, its writer calling {@code commitHook} before each commit. */
    private RunningSink startSink(SinkSettings settings, LedgerWriter.CommitHook commitHook) {
        LedgerSink sink = new LedgerSink(settings, pool, SinkMetrics.none(), commitHook);
        Thread thread = new Thread(sink, "ledger-sink-" + group);
        thread.setUncaughtExceptionHandler((crashed, error) -> sinkCrashes.add(error));
        thread.start();
        RunningSink running = new RunningSink(sink, thread, settings.closeTimeout());
        sinks.add(running);
        return running;
    }

    /** Caught up: the stored offsets are, per partition, just past the last committed record. */
    private void awaitCaughtUp() {
        await("stored offsets of " + group + " at the end of every committed record").atMost(SINK_WAIT)
                .until(() -> sql.storedOffsets(group), stored -> stored.equals(oracle.nextOffsets()));
    }

    private void assertDeadLetter(List<String> row, Sent record, String key, String value, String reason) {
        assertThat(row.subList(0, 5)).containsExactly(record.partition().topic(),
                Integer.toString(record.partition().partition()), Long.toString(record.offset()), key, value);
        assertThat(row.get(5)).contains(reason);
    }

    /**
     * Waits until {@code kassa.dead-letter}, read {@code read_committed}, holds {@code count} records,
     * and returns them by their source, {@code topic/partition@offset}, as their headers name it.
     */
    private Map<String, ConsumerRecord<byte[], byte[]>> awaitPublishedDeadLetters(int count) {
        try (CommittedRecords topic = new CommittedRecords(runtime.bootstrapServers(), group)) {
            List<ConsumerRecord<byte[], byte[]>> records = await("records on " + DEAD_LETTER).atMost(SINK_WAIT)
                    .until(() -> topic.readAll(DEAD_LETTER, SINK_WAIT), read -> read.size() >= count);
            assertThat(records).as("records on %s", DEAD_LETTER).hasSize(count);
            Map<String, ConsumerRecord<byte[], byte[]>> bySource = new HashMap<>();
            records.forEach(record -> bySource.put(header(record, "__streams.errors.topic") + "/"
                    + header(record, "__streams.errors.partition") + "@" + header(record, "__streams.errors.offset"),
                    record));
            assertThat(bySource).as("sources of the records on %s", DEAD_LETTER).hasSize(count);
            return bySource;
        }
    }

    private static void assertPublished(Map<String, ConsumerRecord<byte[], byte[]>> published, Sent source, String key,
                                        byte[] value, String reason) {
        ConsumerRecord<byte[], byte[]> record = published.get(source.partition().topic() + "/"
                + source.partition().partition() + "@" + source.offset());
        assertThat(record).as("dead letter of %s@%d on %s", source.partition(), source.offset(), DEAD_LETTER)
                .isNotNull();
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(key);
        assertThat(record.value()).isEqualTo(value);
        assertThat(header(record, "__streams.errors.message")).contains(reason);
        assertThat(header(record, "__streams.errors.exception")).isEqualTo("dev.kassa.ledger.DeadLetterRecord");
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("header %s", name).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    // ---- Kafka and Postgres set-up ----

    /** Deletes the sink's topics and the dead-letter topic if they exist and creates them again, empty, as Kassa's provisioner does (replication 1). */
    private void recreateSinkTopics() throws Exception {
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            List<String> stale = RECREATED_TOPICS.stream().filter(existing::contains).toList();
            if (!stale.isEmpty()) {
                admin.deleteTopics(stale).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            await("deleted topics gone").atMost(ADMIN_TIMEOUT).until(() -> admin.listTopics().names()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).stream().noneMatch(stale::contains));
            KafkaProbe.createTopics(runtime.bootstrapServers(), PARTITIONS, RECREATED_TOPICS);
            await("new topics led").atMost(ADMIN_TIMEOUT).ignoreExceptions().until(() -> everyPartitionHasALeader(admin));
        }
    }

    private static boolean everyPartitionHasALeader(Admin admin)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, TopicDescription> topics = admin.describeTopics(RECREATED_TOPICS).allTopicNames()
                .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return topics.values().stream().allMatch(topic -> topic.partitions().size() == PARTITIONS
                && topic.partitions().stream().allMatch(partition -> partition.leader() != null));
    }

    /** Sets the group's committed offsets in Kafka to the end of every partition of the sink's topics. */
    private void commitKafkaOffsetsAtTheEndOfEveryPartition() {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            SinkSettings.TOPICS.forEach(topic -> IntStream.range(0, PARTITIONS)
                    .forEach(partition -> latest.put(new TopicPartition(topic, partition), OffsetSpec.latest())));
            Map<TopicPartition, OffsetAndMetadata> ends = admin.listOffsets(latest).all()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, end -> new OffsetAndMetadata(end.getValue().offset())));
            admin.alterConsumerGroupOffsets(group, ends).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("cannot commit offsets for " + group + " in Kafka", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, runtime.bootstrapServers()));
    }

    /** Creates an empty database on the runtime's Postgres and returns its JDBC URL. */
    private String createDatabase(String name) throws SQLException {
        try (Connection connection = new LedgerSql(runtime.jdbcUrl()).connect()) {
            connection.createStatement().execute("CREATE DATABASE " + name);
        }
        return runtime.jdbcUrl().substring(0, runtime.jdbcUrl().lastIndexOf('/') + 1) + name;
    }

    // ---- the oracle ----

    /** What the test committed: every record's place, the balances it implies, the completions it holds. */
    private static final class Oracle {

        final BalanceOracle balances = new BalanceOracle();
        final List<Sent> records = new ArrayList<>();
        int completions;

        void committed(List<Sent> sent) {
            records.addAll(sent);
        }

        Set<String> eventIds() {
            return records.stream().flatMap(record -> record.eventId().stream()).collect(Collectors.toSet());
        }

        /** Per partition ({@code topic/partition}), the offset after its last record: what the sink must store. */
        Map<String, String> nextOffsets() {
            Map<String, String> next = new TreeMap<>();
            records.forEach(record -> next.merge(key(record.partition()), Long.toString(record.offset() + 1),
                    (a, b) -> Long.parseLong(a) > Long.parseLong(b) ? a : b));
            return next;
        }

        long nextOffset(String topic, int partition) {
            return Long.parseLong(nextOffsets().get(topic + "/" + partition));
        }

        Map<String, String> balances() {
            return balances.asText();
        }

        int completions() {
            return completions;
        }

        /** The events a sink must have applied when it stored {@code storedOffsets}. */
        Set<String> eventIdsBelow(Map<String, Long> storedOffsets) {
            return records.stream()
                    .filter(record -> record.offset() < storedOffsets.getOrDefault(key(record.partition()), 0L))
                    .flatMap(record -> record.eventId().stream())
                    .collect(Collectors.toSet());
        }

        private static String key(TopicPartition partition) {
            return partition.topic() + "/" + partition.partition();
        }
    }

    /** One committed state of the ledger as one statement saw it: stored offsets and applied events. */
    private record Snapshot(Map<String, Long> storedOffsets, Set<String> appliedEventIds) {

        boolean matches(Oracle oracle) {
            return appliedEventIds.equals(oracle.eventIdsBelow(storedOffsets));
        }

        boolean isBetween(int fewest, int most) {
            return appliedEventIds.size() > fewest && appliedEventIds.size() < most;
        }
    }

    /**
     * Takes snapshots in a loop on a connection of its own, each with a single statement (so one MVCC
     * snapshot at READ COMMITTED), and keeps every distinct one.
     */
    private static final class SnapshotRecorder {

        private static final String SNAPSHOT = "SELECT 'offset', topic || '/' || partition, next_offset"
                + " FROM sink_offsets WHERE consumer_group = ?"
                + " UNION ALL SELECT 'event', event_id, 0 FROM applied_events";

        private final AtomicBoolean stopping = new AtomicBoolean();
        private final CompletableFuture<List<Snapshot>> recorded = new CompletableFuture<>();

        static SnapshotRecorder start(LedgerSql sql, String group) {
            SnapshotRecorder recorder = new SnapshotRecorder();
            Thread thread = new Thread(() -> recorder.record(sql, group), "ledger-snapshots");
            thread.setDaemon(true);
            thread.start();
            return recorder;
        }

        List<Snapshot> stop() throws Exception {
            stopping.set(true);
            return recorded.get(SINK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void record(LedgerSql sql, String group) {
            List<Snapshot> snapshots = new ArrayList<>();
            try (Connection connection = sql.connect()) {
                while (!stopping.get()) {
                    Snapshot snapshot = snapshot(connection, group);
                    if (snapshots.isEmpty() || !snapshots.get(snapshots.size() - 1).equals(snapshot)) {
                        snapshots.add(snapshot);
                    }
                }
                recorded.complete(snapshots);
            } catch (SQLException | RuntimeException e) {
                recorded.completeExceptionally(e);
            }
        }

        private static Snapshot snapshot(Connection connection, String group) throws SQLException {
            Map<String, Long> offsets = new HashMap<>();
            Set<String> events = new HashSet<>();
            for (List<String> row : LedgerSql.query(connection, SNAPSHOT, group)) {
                if (row.get(0).equals("offset")) {
                    offsets.put(row.get(1), Long.parseLong(row.get(2)));
                } else {
                    events.add(row.get(1));
                }
            }
            return new Snapshot(offsets, events);
        }
    }

    /** A sink on its own thread; stopping it closes it and waits for the thread, within the close bound. */
    private record RunningSink(LedgerSink sink, Thread thread, Duration closeTimeout) {

        void stop() {
            sink.close();
            try {
                thread.join(closeTimeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertThat(thread.isAlive()).as("sink thread still running after close").isFalse();
        }
    }
}
