package dev.kassa.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.model.AccountEvent;
import dev.kassa.model.Command;
import dev.kassa.model.CommandReplay;
import dev.kassa.model.CreatePayment;
import dev.kassa.model.Ids;
import dev.kassa.model.OpenAccount;
import dev.kassa.model.PaymentEvent;
import dev.kassa.model.PaymentEventType;
import dev.kassa.model.PaymentKind;
import dev.kassa.topology.authorize.Leg;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dedupe stage through the whole topology: each {@code (merchant, idempotency key)} yields at
 * most one payment or account within the retention, and every repeat is answered on
 * {@code payments.replays} with the id the first command created. Balances are compared with an
 * oracle kept by hand, never with numbers the topology computed.
 */
class DedupeTest {

    private static final String MERCHANT = "mer_alpha";
    private static final String OTHER_MERCHANT = "mer_beta";
    private static final String ALICE = "acct_alice";
    private static final String BOB = "acct_bob";
    private static final String CAROL = "acct_carol";
    private static final String DAVE = "acct_dave";
    private static final Duration RETENTION = Duration.ofHours(1);

    @TempDir
    Path stateDir;

    private TopologyHarness harness;
    private final Map<String, Long> oracle = new HashMap<>();

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    /** Alice (10,000) and Bob (0) at MERCHANT, Carol (5,000) and Dave (0) at OTHER_MERCHANT. */
    private void start(Duration retention) {
        harness = new TopologyHarness(stateDir, TopologySettings.builder().ledgerPartitions(3)
                .dedupeRetention(retention).build());
        harness.openAccount(MERCHANT, ALICE, "usd");
        harness.openAccount(MERCHANT, BOB, "usd");
        harness.openAccount(OTHER_MERCHANT, CAROL, "usd");
        harness.openAccount(OTHER_MERCHANT, DAVE, "usd");
        harness.deposit(MERCHANT, ALICE, 10_000, "usd");
        harness.deposit(OTHER_MERCHANT, CAROL, 5_000, "usd");
        harness.paymentEvents();
        harness.accountEvents();
        harness.drainLegs();
        oracle.putAll(Map.of(ALICE, 10_000L, BOB, 0L, CAROL, 5_000L, DAVE, 0L));
    }

    @Test
    void retriedPaymentWithSameKeyIsChargedOnceAndAnsweredWithTheOriginalId() {
        // Plan: pay Alice -> Bob under "order-1", then send the identical command again and a retry
        // with a fresh payment id (an API that lost its Redis record assigns a new one). One payment
        // must be debited and completed, and published once; both repeats must come back as replays naming
        // the first payment; the balances must equal the oracle's single transfer.
        start(TopologySettings.DEDUPE_RETENTION_DEFAULT);
        Instant at = harness.advance(Duration.ofSeconds(1));
        CreatePayment first = payment(MERCHANT, "order-1", ALICE, BOB, 3_000, at);
        harness.send(first, at);
        harness.send(first, at.plusSeconds(1));
        CreatePayment retry = payment(MERCHANT, "order-1", ALICE, BOB, 3_000, at.plusSeconds(2));
        harness.send(retry, at.plusSeconds(2));
        oracle.merge(ALICE, -3_000L, Long::sum);
        oracle.merge(BOB, 3_000L, Long::sum);

        List<TestRecord<String, PaymentEvent>> events = harness.paymentEvents();
        assertThat(events).extracting(TestRecord::key).containsOnly(first.paymentId());
        assertThat(TopologyHarness.lifecycle(events)).containsExactly("1 PaymentCompleted");
        assertThat(harness.legsOn(KassaTopology.LEDGER_CREDITS)).extracting(TestRecord::value)
                .singleElement().isInstanceOf(Leg.CompletedCredit.class);
        assertThat(harness.replays()).satisfiesExactly(
                identical -> assertReplay(identical, first, first.paymentId(), first.paymentId(),
                        first.requestFingerprint(), at.plusSeconds(1)),
                renamed -> assertReplay(renamed, retry, retry.paymentId(), first.paymentId(),
                        first.requestFingerprint(), at.plusSeconds(2)));
        assertThat(harness.replays()).isEmpty();
        assertThat(first.requestFingerprint()).isEqualTo(retry.requestFingerprint());
        assertBalancesMatchOracle();
    }

    @Test
    void keyReusedWithOtherParametersIsNotExecutedAndItsReplayCarriesTheFirstFingerprint() {
        // Plan: pay 3,000 under "order-1", then reuse "order-1" for 5,000 to Bob. The second must not
        // run; its replay names the first payment and the first request's fingerprint, which differs
        // from the second's, so the API can answer idempotency_key_reused.
        start(TopologySettings.DEDUPE_RETENTION_DEFAULT);
        Instant at = harness.advance(Duration.ofSeconds(1));
        CreatePayment first = payment(MERCHANT, "order-1", ALICE, BOB, 3_000, at);
        CreatePayment reuse = payment(MERCHANT, "order-1", ALICE, BOB, 5_000, at.plusSeconds(1));
        harness.send(first, at);
        harness.send(reuse, at.plusSeconds(1));
        oracle.merge(ALICE, -3_000L, Long::sum);
        oracle.merge(BOB, 3_000L, Long::sum);

        assertThat(completedPayments()).containsExactly(first.paymentId());
        List<TestRecord<String, CommandReplay>> replays = harness.replays();
        assertThat(replays).singleElement().satisfies(replay -> assertReplay(replay, reuse, reuse.paymentId(),
                first.paymentId(), first.requestFingerprint(), at.plusSeconds(1)));
        assertThat(replays.get(0).value().isRetryOf(reuse.requestFingerprint())).isFalse();
        assertThat(replays.get(0).value().isRetryOf(first.requestFingerprint())).isTrue();
        assertBalancesMatchOracle();
    }

    @Test
    void sameKeyFromTwoMerchantsMakesTwoPayments() {
        // Plan: both merchants use "order-1"; keys are scoped per merchant, so both payments run.
        start(TopologySettings.DEDUPE_RETENTION_DEFAULT);
        Instant at = harness.advance(Duration.ofSeconds(1));
        CreatePayment alpha = payment(MERCHANT, "order-1", ALICE, BOB, 1_000, at);
        CreatePayment beta = payment(OTHER_MERCHANT, "order-1", CAROL, DAVE, 2_000, at.plusSeconds(1));
        harness.send(alpha, at);
        harness.send(beta, at.plusSeconds(1));
        oracle.merge(ALICE, -1_000L, Long::sum);
        oracle.merge(BOB, 1_000L, Long::sum);
        oracle.merge(CAROL, -2_000L, Long::sum);
        oracle.merge(DAVE, 2_000L, Long::sum);

        assertThat(completedPayments()).containsExactlyInAnyOrder(alpha.paymentId(), beta.paymentId());
        assertThat(harness.replays()).isEmpty();
        assertBalancesMatchOracle();
    }

    @Test
    void keyIsReplayedUntilTheRetentionEndsInStreamTimeAndIsANewPaymentAfter() {
        // Plan: with a 1 h retention, a repeat 1 ms before the hour (by record timestamp) is a replay;
        // a command with the key at exactly the hour is a new payment, and its own repeat is a replay
        // of the new payment. Two transfers in the oracle.
        start(RETENTION);
        Instant at = harness.advance(Duration.ofSeconds(1));
        CreatePayment first = payment(MERCHANT, "order-1", ALICE, BOB, 1_000, at);
        harness.send(first, at);
        Instant justBefore = at.plus(RETENTION).minusMillis(1);
        harness.send(payment(MERCHANT, "order-1", ALICE, BOB, 1_000, justBefore), justBefore);
        assertThat(harness.replays()).singleElement()
                .satisfies(replay -> assertThat(replay.value().originalId()).isEqualTo(first.paymentId()));

        Instant expired = at.plus(RETENTION);
        CreatePayment second = payment(MERCHANT, "order-1", ALICE, BOB, 1_000, expired);
        harness.send(second, expired);
        harness.send(second, expired.plusSeconds(1));
        oracle.merge(ALICE, -2_000L, Long::sum);
        oracle.merge(BOB, 2_000L, Long::sum);

        assertThat(completedPayments()).containsExactly(first.paymentId(), second.paymentId());
        assertThat(harness.replays()).singleElement()
                .satisfies(replay -> assertThat(replay.value().originalId()).isEqualTo(second.paymentId()));
        assertBalancesMatchOracle();
    }

    @Test
    void purgeRunsOnStreamTimeAndForgetsKeysOlderThanTheRetention() {
        // Plan: remember "order-1", then let a later command move stream time past the retention;
        // the stream-time punctuation must have deleted the old entry and kept the new one.
        start(RETENTION);
        Instant at = harness.advance(Duration.ofSeconds(1));
        CreatePayment old = payment(MERCHANT, "order-1", ALICE, BOB, 100, at);
        harness.send(old, at);
        assertThat(harness.idempotencyEntry(old.key())).hasValueSatisfying(entry -> {
            assertThat(entry.resourceId()).isEqualTo(old.paymentId());
            assertThat(entry.firstSeenMs()).isEqualTo(at.toEpochMilli());
        });

        Instant later = at.plus(RETENTION).plus(Duration.ofMinutes(2));
        CreatePayment recent = payment(MERCHANT, "order-2", ALICE, BOB, 100, later);
        harness.send(recent, later);

        assertThat(harness.idempotencyEntry(old.key())).isEmpty();
        assertThat(harness.idempotencyEntry(recent.key())).isPresent();
    }

    @Test
    void repeatedOpenAccountWithItsKeyDoesNotOpenASecondAccount() {
        // Plan: open an account under "open-1", deposit into it, then repeat the opening identically
        // and with another account id under the same key: no second account, no reset balance.
        start(TopologySettings.DEDUPE_RETENTION_DEFAULT);
        Instant at = harness.advance(Duration.ofSeconds(1));
        OpenAccount open = new OpenAccount("acct_erin", MERCHANT, "open-1", "usd", at, null);
        harness.send(open, at);
        harness.deposit(MERCHANT, "acct_erin", 700, "usd");
        Instant later = harness.advance(Duration.ofSeconds(1));
        harness.send(open, later);
        harness.send(new OpenAccount("acct_frank", MERCHANT, "open-1", "usd", later, null), later);
        oracle.put("acct_erin", 700L);

        assertThat(harness.accountEvents()).extracting(TestRecord::value).extracting(AccountEvent::account)
                .extracting(account -> account.id()).containsExactly("acct_erin");
        assertThat(harness.account("acct_frank")).isEmpty();
        assertThat(harness.replays()).extracting(TestRecord::value)
                .extracting(CommandReplay::requestedId, CommandReplay::originalId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("acct_erin", "acct_erin"),
                        org.assertj.core.groups.Tuple.tuple("acct_frank", "acct_erin"));
        assertBalancesMatchOracle();
    }

    private static CreatePayment payment(String merchantId, String key, String source, String destination,
                                         long amount, Instant at) {
        return new CreatePayment(Ids.next(Ids.PAYMENT, at), merchantId, key, PaymentKind.PAYMENT, amount, "usd",
                source, destination, "test", Map.of(), at, fingerprint(source, destination, amount));
    }

    /** Stands in for the API's request fingerprint: equal for equal parameters, different otherwise. */
    private static String fingerprint(String source, String destination, long amount) {
        return source + ">" + destination + ":" + amount;
    }

    private List<String> completedPayments() {
        return harness.paymentEvents().stream()
                .filter(record -> record.value().type() == PaymentEventType.PaymentCompleted)
                .map(TestRecord::key)
                .toList();
    }

    private static void assertReplay(TestRecord<String, CommandReplay> record, Command repeated, String requestedId,
                                     String originalId, String originalFingerprint, Instant at) {
        assertThat(record.key()).isEqualTo(repeated.key());
        assertThat(record.getRecordTime()).isEqualTo(at);
        assertThat(record.value()).isEqualTo(new CommandReplay(CommandReplay.SCHEMA_VERSION, repeated.key(),
                repeated.merchantId(), repeated.idempotencyKey(), requestedId, originalId, originalFingerprint, at));
    }

    private void assertBalancesMatchOracle() {
        assertThat(harness.balances(oracle.keySet().toArray(String[]::new))).isEqualTo(oracle);
    }
}
