package dev.kassa.app.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.model.AccountEvent;
import dev.kassa.model.CommandReplay;
import dev.kassa.model.CreatePayment;
import dev.kassa.model.PaymentEvent;
import dev.kassa.model.PaymentEventType;
import dev.kassa.model.Topics;
import dev.kassa.testing.LedgerSql;
import dev.kassa.topology.KassaTopology;
import dev.kassa.topology.StreamsSettings;
import dev.kassa.topology.authorize.AccountBalance;
import dev.kassa.topology.authorize.Balances;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The checks every crash run ends with, each against the {@link PaymentPlan}'s oracle and read with
 * plain SQL or a {@code read_committed} consumer, never through the code under test. Every message
 * starts with the run's replay line.
 */
final class CrashChecks {

    /** The changelog of the topology's balance store, as Kafka Streams names it. */
    static final String BALANCES_CHANGELOG =
            StreamsSettings.APPLICATION_ID_DEFAULT + "-" + KassaTopology.BALANCES_STORE + "-changelog";

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    private static final int MISMATCHES_SHOWN = 20;
    private static final String COMPLETED = "completed entries=2";
    private static final String DECLINED = "failed insufficient_funds entries=0";

    private final CrashHarness run;

    CrashChecks(CrashHarness run) {
        this.run = run;
    }

    /**
     * Postgres holds every payment of the plan exactly once and nothing else, each completed with two
     * entries or failed for insufficient funds with none, as the oracle says, and every balance is the
     * oracle's.
     */
    void ledgerMatchesOracle() {
        LedgerSql sql = run.sql();
        List<List<String>> duplicated = sql.query("SELECT id, count(*) FROM payments GROUP BY id HAVING count(*) > 1");
        assertThat(duplicated).as("%s payment ids with more than one row", run.replay()).isEmpty();

        Map<String, String> expected = new TreeMap<>();
        run.plan().outcomes().forEach((id, completes) -> expected.put(id, completes ? COMPLETED : DECLINED));
        Map<String, String> actual = sql.map("SELECT p.id, p.status || coalesce(' ' || p.failure_code, '')"
                + " || ' entries=' || count(e.payment_id) FROM payments p LEFT JOIN ledger_entries e"
                + " ON e.payment_id = p.id GROUP BY p.id, p.status, p.failure_code");
        assertThat(mismatches(expected, actual)).as("%s payments whose row or entries differ from the oracle",
                run.replay()).isEmpty();
        assertThat(sql.count("SELECT count(*) FROM ledger_entries"))
                .as("%s ledger entries: two per completed payment", run.replay())
                .isEqualTo(2 * (run.plan().outcomes().size() - run.plan().failures()));

        Map<String, String> balances = sql.balances();
        assertThat(mismatches(run.plan().balances().asText(), balances))
                .as("%s balances in Postgres against the oracle", run.replay()).isEmpty();
    }

    /** {@code kassa ledger verify}, run as a process, passes; its output goes to the test log. */
    void ledgerVerifies() throws InterruptedException {
        KassaServices.Verification verification = run.services().verifyLedger();
        System.out.println("[crash] " + run.replay() + " kassa ledger verify (exit " + verification.exitCode()
                + "):\n" + verification.output());
        assertThat(verification.passed()).as("%s kassa ledger verify exit code %d, output:\n%s", run.replay(),
                verification.exitCode(), verification.output()).isTrue();
    }

    /**
     * On {@code payments.events}, read committed from the beginning, every payment of the plan has
     * exactly one event, at sequence 1: the terminal event the oracle expects, decided in the
     * transaction that took its command. No other payment has any event. Returns the records that are
     * no event at all, for the caller to judge.
     *
     * <p>One exception, told by the payment's own events: a payment that completes may take the long
     * way, PaymentInitiated at 1 and PaymentCompleted at 2, each once, if the topology's account
     * directory had not read its destination's opening yet. Every opening is committed and booked in
     * Postgres before the load is sent, and a restarted topology brings the directory up to date before
     * it processes anything, but the first run's stream threads do not wait for its global thread, so
     * that is unlikely, not impossible. Declines (insufficient funds, refused at the source before the
     * directory is asked) and deposits (decided at their account) never take the long way.
     */
    List<ConsumerRecord<byte[], byte[]>> paymentEventsExactlyOnce() {
        Map<String, List<String>> eventsByPayment = new HashMap<>();
        List<ConsumerRecord<byte[], byte[]>> unreadable = new ArrayList<>();
        String topic = Topics.PAYMENTS_EVENTS.name();
        for (ConsumerRecord<byte[], byte[]> record : run.topics().readAll(topic, READ_TIMEOUT)) {
            PaymentEvent event;
            try {
                event = Topics.PAYMENTS_EVENTS.valueSerde().deserializer().deserialize(topic, record.value());
            } catch (RuntimeException e) {
                unreadable.add(record);
                continue;
            }
            eventsByPayment.computeIfAbsent(event.paymentId(), id -> new ArrayList<>())
                    .add(event.sequence() + ":" + event.type());
        }
        Set<String> deposits = run.plan().deposits().stream().map(CreatePayment::paymentId).collect(Collectors.toSet());
        String longWay = "1:" + PaymentEventType.PaymentInitiated + " 2:" + PaymentEventType.PaymentCompleted;
        Map<String, String> expected = new TreeMap<>();
        run.plan().outcomes().forEach((id, completes) -> {
            boolean mayTakeTheLongWay = completes && !deposits.contains(id);
            boolean tookIt = eventsByPayment.getOrDefault(id, List.of())
                    .contains("1:" + PaymentEventType.PaymentInitiated);
            expected.put(id, mayTakeTheLongWay && tookIt ? longWay
                    : "1:" + (completes ? PaymentEventType.PaymentCompleted : PaymentEventType.PaymentFailed));
        });
        run.log(expected.values().stream().filter(longWay::equals).count() + " payment(s) took the long way");
        Map<String, String> actual = new TreeMap<>();
        eventsByPayment.forEach((id, events) -> actual.put(id, String.join(" ", new TreeSet<>(events))
                + (events.size() == new TreeSet<>(events).size() ? "" : " (" + events.size() + " events)")));
        assertThat(mismatches(expected, actual))
                .as("%s payments whose events on %s are not exactly their outcome at sequence 1 (or, on the long"
                        + " way, PaymentInitiated 1 and PaymentCompleted 2) as the oracle says", run.replay(), topic)
                .isEmpty();
        return unreadable;
    }

    /** Every account of the plan is opened exactly once on {@code accounts.events}, and no other. */
    void accountsOpenedOnce() {
        Map<String, String> expected = new TreeMap<>();
        run.plan().accounts().forEach(account -> expected.put(account, "opened 1 time(s)"));
        Map<String, Integer> opened = new HashMap<>();
        String topic = Topics.ACCOUNTS_EVENTS.name();
        for (ConsumerRecord<byte[], byte[]> record : run.topics().readAll(topic, READ_TIMEOUT)) {
            AccountEvent event = Topics.ACCOUNTS_EVENTS.valueSerde().deserializer().deserialize(topic, record.value());
            opened.merge(event.account().id(), 1, Integer::sum);
        }
        Map<String, String> actual = new TreeMap<>();
        opened.forEach((account, times) -> actual.put(account, "opened " + times + " time(s)"));
        assertThat(mismatches(expected, actual)).as("%s AccountOpened events per account", run.replay()).isEmpty();
    }

    /** Every retry is answered exactly once on {@code payments.replays}, naming its original payment. */
    void retriesReplayedOnce() {
        Map<String, String> expected = new TreeMap<>();
        run.plan().repeatsByKey().forEach((key, times) -> expected.put(key, "replayed " + times + " time(s)"));
        Map<String, Integer> replays = new HashMap<>();
        Map<String, String> wrongOriginal = new TreeMap<>();
        String topic = Topics.PAYMENTS_REPLAYS.name();
        for (ConsumerRecord<byte[], byte[]> record : run.topics().readAll(topic, READ_TIMEOUT)) {
            CommandReplay replay = Topics.PAYMENTS_REPLAYS.valueSerde().deserializer().deserialize(topic, record.value());
            replays.merge(replay.commandKey(), 1, Integer::sum);
            if (!Objects.equals(replay.requestedId(), replay.originalId())) {
                wrongOriginal.put(replay.commandKey(), replay.requestedId() + " -> " + replay.originalId());
            }
        }
        Map<String, String> actual = new TreeMap<>();
        replays.forEach((key, times) -> actual.put(key, "replayed " + times + " time(s)"));
        assertThat(mismatches(expected, actual)).as("%s replays per retried command key", run.replay()).isEmpty();
        assertThat(wrongOriginal).as("%s replays naming another payment than the retried one", run.replay()).isEmpty();
    }

    /**
     * The topology's {@code balances} store, as its changelog says read committed (the last value per
     * account), holds exactly the plan's accounts with the oracle's balances.
     */
    void balanceStoreMatchesOracle() {
        Map<String, String> store = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> record : run.topics().readAll(BALANCES_CHANGELOG, READ_TIMEOUT)) {
            String account = new String(record.key(), StandardCharsets.UTF_8);
            if (record.value() == null) {
                store.remove(account);
                continue;
            }
            AccountBalance balance = Balances.VALUE_SERDE.deserializer().deserialize(BALANCES_CHANGELOG, record.value());
            store.put(account, Long.toString(balance.balance()));
        }
        // The external account is held too: its deposits are decided in its task, the currency's treasury.
        Map<String, String> expected = new TreeMap<>(run.plan().balances().asText());
        assertThat(mismatches(expected, store)).as("%s balances in the topology's store (%s) against the oracle",
                run.replay(), BALANCES_CHANGELOG).isEmpty();
    }

    /** {@link #paymentEventsExactlyOnce()}, and every record on {@code payments.events} is an event. */
    void everyPaymentEventExactlyOnce() {
        assertThat(paymentEventsExactlyOnce()).as("%s records on %s that are no event", run.replay(),
                Topics.PAYMENTS_EVENTS.name()).isEmpty();
    }

    /** Nothing was set aside as unreadable: no dead letter in the sink's table nor on the topology's topic. */
    void nothingDeadLettered() {
        assertThat(run.sql().query("SELECT topic, partition, record_offset, reason FROM dead_letters"))
                .as("%s the sink's dead letters", run.replay()).isEmpty();
        assertThat(run.topics().readAll(Topics.DEAD_LETTER.name(), READ_TIMEOUT))
                .as("%s records on %s", run.replay(), Topics.DEAD_LETTER.name()).isEmpty();
    }

    /** Up to {@value #MISMATCHES_SHOWN} differences between two maps, and how many there are in all. */
    static List<String> mismatches(Map<String, String> expected, Map<String, String> actual) {
        List<String> differences = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        int total = 0;
        for (String key : keys) {
            String wanted = expected.get(key);
            String found = actual.get(key);
            if (!Objects.equals(wanted, found)) {
                total++;
                if (differences.size() < MISMATCHES_SHOWN) {
                    differences.add(key + ": expected " + (wanted == null ? "nothing" : wanted) + ", found "
                            + (found == null ? "nothing" : found));
                }
            }
        }
        if (total > differences.size()) {
            differences.add("... " + (total - differences.size()) + " more");
        }
        return differences;
    }
}
