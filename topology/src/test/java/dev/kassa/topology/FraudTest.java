package dev.kassa.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.fraud.RuleSet;
import dev.kassa.model.CreatePayment;
import dev.kassa.model.DeclineCode;
import dev.kassa.model.FraudAssessment.Decision;
import dev.kassa.model.FraudDecision;
import dev.kassa.model.PaymentEvent;
import dev.kassa.model.PaymentEventType;
import dev.kassa.topology.fraud.FraudStores;
import dev.kassa.topology.fraud.SourceActivity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fraud stage through the whole topology, with explicit timestamps: every window boundary below
 * is exact because time is the records' own. Expected counts come from the plan of each test (how
 * many payments it sent when), never from the topology.
 */
class FraudTest {

    private static final String MERCHANT = "mer_alpha";
    private static final String ALICE = "acct_alice";
    private static final String BRUNO = "acct_bruno";
    private static final String POOR = "acct_poor";
    private static final String BOB = "acct_bob";
    private static final String CAROL = "acct_carol";
    private static final String DAVE = "acct_dave";
    private static final long FUNDS = 1_000_000;
    /** On a whole hour, an hour after the harness's start, well after the setup's commands. */
    private static final Instant T = TopologyHarness.START.plus(Duration.ofHours(1));

    @TempDir
    Path stateDir;

    private TopologyHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void eleventhPaymentWithinTheMinuteIsBlockedButNotOneJustAfterTheMinute() {
        // Plan: under the default rules (more than 10 payments from a source in 1 minute: block), Alice
        // and Bruno each pay ten times, one per second from T. Alice's 11th comes at T + 59.999 s, still
        // in the minute of her first payment: blocked. Bruno's comes at T + 60 s, when his first has
        // left the window: allowed, with 10 payments in the minute, itself included.
        start(RuleSet.defaults());
        for (int i = 0; i < 10; i++) {
            harness.payAt(MERCHANT, ALICE, BOB, 100, T.plusSeconds(i));
            harness.payAt(MERCHANT, BRUNO, BOB, 100, T.plusSeconds(i));
        }
        CreatePayment aliceEleventh = harness.payAt(MERCHANT, ALICE, BOB, 100, T.plusMillis(59_999));
        CreatePayment brunoEleventh = harness.payAt(MERCHANT, BRUNO, BOB, 100, T.plusSeconds(60));

        Map<String, FraudDecision> decisions = decisionsByPayment();
        assertThat(decisions).hasSize(22);
        assertThat(decisions.values()).filteredOn(decision -> decision.decidedAt().isBefore(T.plusSeconds(10)))
                .allSatisfy(decision -> assertThat(decision.assessment().decision()).isEqualTo(Decision.ALLOW));
        FraudDecision blocked = decisions.get(aliceEleventh.paymentId());
        assertThat(blocked.assessment().decision()).isEqualTo(Decision.BLOCK);
        assertThat(blocked.assessment().reasons()).contains("more than 10 payments from this source in 1 minute");
        assertThat(numbers(blocked))
                    .containsEntry("count_1m", 11L).containsEntry("sum_1m", 1_100L);
        FraudDecision allowed = decisions.get(brunoEleventh.paymentId());
        assertThat(allowed.assessment().decision()).isEqualTo(Decision.ALLOW);
        assertThat(numbers(allowed))
                    .containsEntry("count_1m", 10L).containsEntry("count_1h", 11L);

        assertThat(failures()).containsExactly(Map.entry(aliceEleventh.paymentId(), DeclineCode.FRAUD_BLOCKED));
        assertThat(harness.balances(ALICE, BRUNO, BOB)).containsExactlyInAnyOrderEntriesOf(
                Map.of(ALICE, FUNDS - 1_000, BRUNO, FUNDS - 1_100, BOB, 2_100L));
    }

    @Test
    void blockedAttemptsCountSoTheWindowSlidesOverThem() {
        // Plan: ten payments at T..T+9 s and an 11th at T+59 s (blocked) from Alice; at T+70 s the
        // window holds her 11th attempt and the new payment only: 2, allowed.
        start(RuleSet.defaults());
        for (int i = 0; i < 10; i++) {
            harness.payAt(MERCHANT, ALICE, BOB, 100, T.plusSeconds(i));
        }
        harness.payAt(MERCHANT, ALICE, BOB, 100, T.plusSeconds(59));
        CreatePayment later = harness.payAt(MERCHANT, ALICE, BOB, 100, T.plusSeconds(70));

        FraudDecision decision = decisionsByPayment().get(later.paymentId());
        assertThat(numbers(decision))
                    .containsEntry("count_1m", 2L).containsEntry("count_1h", 12L);
        assertThat(decision.assessment().decision()).isEqualTo(Decision.ALLOW);
    }

    @Test
    void dayWindowCountsWholeHoursAndForgetsAfterTwentyFourOfThem() {
        // Plan: a rule blocks a fourth payment within 24 h. Payments at T, T+1h, T+2h (allowed) and T+3h
        // (blocked). At T+24h59m the window (this hour and the 23 before) has lost T only: T+1h..T+3h and
        // itself make 4, blocked. At T+26h it holds T+3h, T+24h59m and itself: 3, allowed.
        start(rules("count_24h", ">", "3", "block"));
        for (int hour = 0; hour < 3; hour++) {
            harness.payAt(MERCHANT, ALICE, BOB, 100, T.plus(Duration.ofHours(hour)));
        }
        CreatePayment fourth = harness.payAt(MERCHANT, ALICE, BOB, 100, T.plus(Duration.ofHours(3)));
        CreatePayment sameDay = harness.payAt(MERCHANT, ALICE, BOB, 100, T.plus(Duration.ofMinutes(24 * 60 + 59)));
        CreatePayment nextDay = harness.payAt(MERCHANT, ALICE, BOB, 100, T.plus(Duration.ofHours(26)));

        Map<String, FraudDecision> decisions = decisionsByPayment();
        assertThat(decisions.get(fourth.paymentId()).assessment().decision()).isEqualTo(Decision.BLOCK);
        assertThat(numbers(decisions.get(sameDay.paymentId()))).containsEntry("count_24h", 4L);
        assertThat(decisions.get(sameDay.paymentId()).assessment().decision()).isEqualTo(Decision.BLOCK);
        assertThat(numbers(decisions.get(nextDay.paymentId()))).containsEntry("count_24h", 3L)
                .containsEntry("sum_24h", 300L).containsEntry("count_1h", 1L);
        assertThat(decisions.get(nextDay.paymentId()).assessment().decision()).isEqualTo(Decision.ALLOW);
    }

    @Test
    void distinctDestinationsCountEachPayeeOnceAndReviewLetsThePaymentThrough() {
        // Plan: review when a source paid more than 2 distinct destinations in the hour. Alice pays
        // Bob, Carol, Bob again (2 distinct), then Dave (3: review, and the payment still completes,
        // carrying the review). At T+62 min Bob and Carol have left the hour, Dave has not: paying
        // Carol makes 2.
        start(rules("distinct_destinations_1h", ">", "2", "review"));
        harness.payAt(MERCHANT, ALICE, BOB, 100, T);
        harness.payAt(MERCHANT, ALICE, CAROL, 100, T.plus(Duration.ofMinutes(1)));
        CreatePayment bobAgain = harness.payAt(MERCHANT, ALICE, BOB, 100, T.plus(Duration.ofMinutes(2)));
        CreatePayment dave = harness.payAt(MERCHANT, ALICE, DAVE, 100, T.plus(Duration.ofMinutes(3)));
        CreatePayment carolLater = harness.payAt(MERCHANT, ALICE, CAROL, 100, T.plus(Duration.ofMinutes(62)));

        Map<String, FraudDecision> decisions = decisionsByPayment();
        assertThat(numbers(decisions.get(bobAgain.paymentId())))
                    .containsEntry("distinct_destinations_1h", 2L);
        assertThat(numbers(decisions.get(dave.paymentId())))
                    .containsEntry("distinct_destinations_1h", 3L);
        assertThat(decisions.get(dave.paymentId()).assessment().decision()).isEqualTo(Decision.REVIEW);
        assertThat(numbers(decisions.get(carolLater.paymentId())))
                    .containsEntry("distinct_destinations_1h", 2L);
        List<PaymentEvent> completed = harness.paymentEvents().stream().map(TestRecord::value)
                .filter(event -> event.type() == PaymentEventType.PaymentCompleted).toList();
        assertThat(completed).hasSize(5);
        assertThat(completed).filteredOn(event -> event.paymentId().equals(dave.paymentId())).singleElement()
                .satisfies(event -> assertThat(event.payment().fraud().decision()).isEqualTo(Decision.REVIEW));
    }

    @Test
    void destinationCountsAsPaidBeforeOnlyAfterADebitAndForThirtyDays() {
        // Plan: Poor has no money: its payment to Bob is declined and Bob is not "paid before". Alice
        // pays Bob twice: false, then true. 31 days later the memory has expired: false again.
        start(RuleSet.defaults());
        CreatePayment poorFirst = harness.payAt(MERCHANT, POOR, BOB, 100, T);
        CreatePayment poorSecond = harness.payAt(MERCHANT, POOR, BOB, 100, T.plusSeconds(1));
        CreatePayment first = harness.payAt(MERCHANT, ALICE, BOB, 100, T.plusSeconds(2));
        CreatePayment second = harness.payAt(MERCHANT, ALICE, BOB, 100, T.plusSeconds(3));
        CreatePayment monthLater = harness.payAt(MERCHANT, ALICE, BOB, 100, T.plus(Duration.ofDays(31)));

        Map<String, FraudDecision> decisions = decisionsByPayment();
        assertThat(paidBefore(decisions, poorFirst)).isFalse();
        assertThat(paidBefore(decisions, poorSecond)).isFalse();
        assertThat(paidBefore(decisions, first)).isFalse();
        assertThat(paidBefore(decisions, second)).isTrue();
        assertThat(paidBefore(decisions, monthLater)).isFalse();
        assertThat(decisions.get(first.paymentId()).assessment().reasons())
                .containsExactly("first payment from this source to this destination");
        assertThat(decisions.get(second.paymentId()).assessment().score()).isZero();
    }

    @Test
    void aDestinationPaidAgainTheSameDayIsNotWrittenAgain() {
        // Plan: Alice pays Bob three times on T's day and once the next day, Bruno once on T's day. The
        // memory of who paid whom holds one entry per pair and day, so its changelog gets three
        // records: Alice→Bob on each day and Bruno→Bob. Each payment is committed on its own by the
        // test driver, so a record written per payment would show as one each: five.
        start(RuleSet.defaults());
        harness.payAt(MERCHANT, ALICE, BOB, 100, T);
        harness.payAt(MERCHANT, ALICE, BOB, 100, T.plusSeconds(1));
        harness.payAt(MERCHANT, ALICE, BOB, 100, T.plus(Duration.ofHours(2)));
        harness.payAt(MERCHANT, BRUNO, BOB, 100, T.plusSeconds(2));
        CreatePayment nextDay = harness.payAt(MERCHANT, ALICE, BOB, 100, T.plus(Duration.ofDays(1)));

        String changelog = StreamsSettings.APPLICATION_ID_DEFAULT + "-" + FraudStores.PAID_DESTINATIONS + "-changelog";
        List<TestRecord<byte[], byte[]>> written = harness.driver().createOutputTopic(changelog,
                new ByteArrayDeserializer(), new ByteArrayDeserializer()).readRecordsToList();
        assertThat(written).hasSize(3);
        assertThat(paidBefore(decisionsByPayment(), nextDay)).isTrue();
    }

    @Test
    void declinesOfAnyKindCountAndSixInAnHourBlockTheSource() {
        // Plan: Poor has no money. Its first six payments fail with insufficient_funds (declines seen
        // before each: 0..5); the seventh sees six declines and the default rule (more than 5 declines
        // in the hour) blocks it: fraud_blocked, which counts as a decline too (the eighth sees 7).
        start(RuleSet.defaults());
        List<CreatePayment> sent = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            sent.add(harness.payAt(MERCHANT, POOR, BOB, 100, T.plusSeconds(i)));
        }

        Map<String, FraudDecision> decisions = decisionsByPayment();
        for (int i = 0; i < 8; i++) {
            assertThat(numbers(decisions.get(sent.get(i).paymentId()))).as("payment %d", i)
                    .containsEntry("declines_1h", (long) i);
        }
        Map<String, DeclineCode> failures = failures();
        assertThat(sent.subList(0, 6)).allSatisfy(payment ->
                assertThat(failures).containsEntry(payment.paymentId(), DeclineCode.INSUFFICIENT_FUNDS));
        assertThat(sent.subList(6, 8)).allSatisfy(payment ->
                assertThat(failures).containsEntry(payment.paymentId(), DeclineCode.FRAUD_BLOCKED));
    }

    @Test
    void allowListWinsOverTheVelocityRuleAndBlockListBlocksAtOnce() {
        // Plan: Alice is allow-listed, Bruno block-listed, under the default velocity rule. Alice's 11th
        // payment in a minute is allowed; Bruno's first is blocked.
        start(RuleSet.parse(("{\"version\": \"lists-1\", \"allow_list\": [\"" + ALICE + "\"],"
                + " \"block_list\": [\"" + BRUNO + "\"], \"rules\": [{\"id\": \"velocity-1m\", \"feature\": \"count_1m\","
                + " \"op\": \">\", \"value\": 10, \"action\": \"block\", \"weight\": 100,"
                + " \"reason\": \"more than 10 payments from this source in 1 minute\"}]}").getBytes(StandardCharsets.UTF_8)));
        for (int i = 0; i < 11; i++) {
            harness.payAt(MERCHANT, ALICE, BOB, 100, T.plusSeconds(i));
        }
        CreatePayment bruno = harness.payAt(MERCHANT, BRUNO, BOB, 100, T.plusSeconds(20));

        Map<String, FraudDecision> decisions = decisionsByPayment();
        assertThat(decisions.values()).filteredOn(decision -> decision.sourceAccountId().equals(ALICE)).hasSize(11)
                .allSatisfy(decision -> assertThat(decision.assessment().decision()).isEqualTo(Decision.ALLOW));
        assertThat(decisions.get(bruno.paymentId()).assessment().decision()).isEqualTo(Decision.BLOCK);
        assertThat(failures()).containsExactly(Map.entry(bruno.paymentId(), DeclineCode.FRAUD_BLOCKED));
    }

    @Test
    void pushedRuleSetAppliesToPaymentsAfterItAndAnInvalidOneChangesNothing() {
        // Plan: under the default rules Alice's payment is allowed (version default-1). A rule set that
        // block-lists her is pushed mid-stream: her next payment is blocked under "ops-2". Bytes that
        // are no rule set are then written to the topic: ignored, ops-2 stays in force. A tombstone
        // brings back the defaults.
        start(RuleSet.defaults());
        CreatePayment before = harness.payAt(MERCHANT, ALICE, BOB, 100, T);
        harness.pushRules(("{\"version\": \"ops-2\", \"block_list\": [\"" + ALICE + "\"], \"rules\": []}")
                .getBytes(StandardCharsets.UTF_8), T.plusSeconds(1));
        CreatePayment blocked = harness.payAt(MERCHANT, ALICE, BOB, 100, T.plusSeconds(2));
        harness.pushRules("{\"version\": \"broken\"".getBytes(StandardCharsets.UTF_8), T.plusSeconds(3));
        CreatePayment stillBlocked = harness.payAt(MERCHANT, ALICE, BOB, 100, T.plusSeconds(4));
        harness.pushRules(null, T.plusSeconds(5));
        CreatePayment after = harness.payAt(MERCHANT, ALICE, BOB, 100, T.plusSeconds(6));

        Map<String, FraudDecision> decisions = decisionsByPayment();
        assertThat(decisions.get(before.paymentId()).ruleSetVersion()).isEqualTo("default-1");
        assertThat(decisions.get(blocked.paymentId()).ruleSetVersion()).isEqualTo("ops-2");
        assertThat(decisions.get(blocked.paymentId()).assessment().decision()).isEqualTo(Decision.BLOCK);
        assertThat(decisions.get(stillBlocked.paymentId()).ruleSetVersion()).isEqualTo("ops-2");
        assertThat(decisions.get(after.paymentId()).ruleSetVersion()).isEqualTo("default-1");
        assertThat(decisions.get(after.paymentId()).assessment().decision()).isEqualTo(Decision.ALLOW);
    }

    @Test
    void everyJudgedPaymentHasOneDecisionKeyedByItsIdMatchingThePaymentsFraudObject() {
        // Plan: three payments (one blocked by a block-list) and a deposit (not judged: it debits no
        // source). fraud.decisions must hold exactly three records, keyed by payment id, each with every
        // feature and the same assessment the payment's final event carries.
        start(RuleSet.parse(("{\"version\": \"v\", \"block_list\": [\"" + BRUNO + "\"], \"rules\": []}")
                .getBytes(StandardCharsets.UTF_8)));
        List<CreatePayment> payments = List.of(harness.payAt(MERCHANT, ALICE, BOB, 100, T),
                harness.payAt(MERCHANT, ALICE, CAROL, 200, T.plusSeconds(1)),
                harness.payAt(MERCHANT, BRUNO, BOB, 300, T.plusSeconds(2)));
        harness.deposit(MERCHANT, BOB, 50, "usd");

        List<TestRecord<String, FraudDecision>> records = harness.fraudDecisions();
        assertThat(records).extracting(TestRecord::key)
                .containsExactlyElementsOf(payments.stream().map(CreatePayment::paymentId).toList());
        // Each is decided in the transaction that took it, blocked or not: one event, its outcome, at 1.
        Map<String, PaymentEvent> outcomes = new java.util.HashMap<>();
        harness.paymentEvents().stream().map(TestRecord::value).forEach(event ->
                assertThat(outcomes.put(event.paymentId(), event)).as("a second event of %s", event.paymentId()).isNull());
        assertThat(payments).extracting(payment -> outcomes.get(payment.paymentId()))
                .extracting(event -> event.sequence() + " " + event.type())
                .containsExactly("1 PaymentCompleted", "1 PaymentCompleted", "1 PaymentFailed");
        assertThat(records).allSatisfy(record -> {
            FraudDecision decision = record.value();
            assertThat(decision.features().keySet()).containsExactly("amount", "count_1m", "sum_1m", "count_1h",
                    "sum_1h", "count_24h", "sum_24h", "distinct_destinations_1h", "paid_destination_before",
                    "declines_1h");
            assertThat(decision.ruleSetVersion()).isEqualTo("v");
            assertThat(outcomes.get(record.key()).payment().fraud()).isEqualTo(decision.assessment());
        });
    }

    @Test
    void activityStoreKeepsTheSourcesWindowsAndLatestDecisions() {
        // Plan: twelve payments from Alice within a minute; the store's entry for her must count 12
        // and keep the ten latest decisions, the last two of them blocks.
        start(RuleSet.defaults());
        for (int i = 0; i < 12; i++) {
            harness.payAt(MERCHANT, ALICE, BOB, 100, T.plusSeconds(i));
        }
        KeyValueStore<String, SourceActivity> store = harness.driver().getKeyValueStore(FraudStores.ACTIVITY);
        SourceActivity alice = store.get(ALICE);

        assertThat(alice.summaryAt(alice.latestMs()).count1m()).isEqualTo(12);
        assertThat(alice.decisions()).hasSize(SourceActivity.DECISIONS_MAX);
        assertThat(alice.decisions().subList(8, 10)).allSatisfy(decision ->
                assertThat(decision.assessment().decision()).isEqualTo(Decision.BLOCK));
        assertThat(alice.summaryAt(alice.latestMs()).declines1h()).isEqualTo(2);
    }

    private void start(dev.kassa.fraud.FraudRules rules) {
        harness = new TopologyHarness(stateDir, TopologySettings.builder().fraudRules(rules).ledgerPartitions(3).build());
        for (String account : List.of(ALICE, BRUNO, POOR, BOB, CAROL, DAVE)) {
            harness.openAccount(MERCHANT, account, "usd");
        }
        harness.send(harness.deposit(MERCHANT, ALICE, FUNDS, "usd"), TopologyHarness.START.plusSeconds(30));
        harness.send(harness.deposit(MERCHANT, BRUNO, FUNDS, "usd"), TopologyHarness.START.plusSeconds(31));
        harness.paymentEvents();
        harness.accountEvents();
        harness.drainLegs();
        harness.fraudDecisions();
    }

    private static RuleSet rules(String feature, String op, String value, String action) {
        String json = "{\"version\": \"test-1\", \"rules\": [{\"id\": \"rule-under-test\", \"feature\": \"" + feature
                + "\", \"op\": \"" + op + "\", \"value\": " + value + ", \"action\": \"" + action + "\", \"weight\": "
                + ("block".equals(action) || "review".equals(action) ? 10 : 0) + ", \"reason\": \"under test\"}]}";
        return RuleSet.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private Map<String, FraudDecision> decisionsByPayment() {
        Map<String, FraudDecision> decisions = new java.util.LinkedHashMap<>();
        for (TestRecord<String, FraudDecision> record : harness.fraudDecisions()) {
            assertThat(decisions.put(record.key(), record.value())).as("decisions of %s", record.key()).isNull();
        }
        return decisions;
    }

    /** Decline codes by payment id, of every payment that failed so far. */
    private Map<String, DeclineCode> failures() {
        Map<String, DeclineCode> failures = new java.util.LinkedHashMap<>();
        harness.paymentEvents().stream().map(TestRecord::value)
                .filter(event -> event.type() == PaymentEventType.PaymentFailed)
                .forEach(event -> failures.put(event.paymentId(), event.payment().failureCode()));
        return failures;
    }

    /**
     * The numeric features of {@code decision} as longs: through JSON on the topic, small numbers
     * come back as Integer and large ones as Long.
     */
    private static Map<String, Long> numbers(FraudDecision decision) {
        Map<String, Long> numbers = new java.util.LinkedHashMap<>();
        decision.features().forEach((name, value) -> {
            if (value instanceof Number number) {
                numbers.put(name, number.longValue());
            }
        });
        return numbers;
    }

    private static boolean paidBefore(Map<String, FraudDecision> decisions, CreatePayment payment) {
        return (Boolean) decisions.get(payment.paymentId()).features().get("paid_destination_before");
    }
}
