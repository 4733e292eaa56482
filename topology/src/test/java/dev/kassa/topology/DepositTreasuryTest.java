package dev.kassa.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kassa.fraud.FraudRules;
import dev.kassa.model.CreatePayment;
import dev.kassa.model.DeclineCode;
import dev.kassa.model.Ids;
import dev.kassa.model.LedgerEntry;
import dev.kassa.model.Money;
import dev.kassa.model.PaymentEvent;
import dev.kassa.model.PaymentStatus;
import dev.kassa.topology.authorize.AccountBalance;
import dev.kassa.topology.authorize.Leg;
import dev.kassa.topology.treasury.DailyDeposits;
import dev.kassa.topology.treasury.DepositLimits;
import dev.kassa.topology.treasury.TreasuryStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deposits decided by the treasury task of their currency (docs/architecture.md, Deposits): the
 * supply cap and each merchant's single and daily deposit limits, with limits small enough to reach
 * in a few commands. Every test keeps its own oracle of the balances, the external account's
 * included, and compares the {@code balances} store against it.
 */
class DepositTreasuryTest {

    private static final String MERCHANT = "mer_alpha";
    private static final String OTHER_MERCHANT = "mer_beta";
    private static final String ALICE = "acct_alice";
    private static final String BOB = "acct_bob";
    private static final String EURO = "acct_euro";
    private static final String MALLORY = "acct_mallory";
    private static final String EXTERNAL = Ids.externalAccount("usd");

    private static final long SINGLE = 10_000;
    private static final long DAILY = 25_000;
    private static final long CAP = 40_000;

    @TempDir
    Path stateDir;

    private TopologyHarness harness;
    private final Map<String, Long> oracle = new HashMap<>();

    @BeforeEach
    void openAccounts() {
        harness = new TopologyHarness(stateDir, TopologySettings.builder().fraudRules(FraudRules.allowAll())
                .ledgerPartitions(3).depositLimits(new DepositLimits(CAP, SINGLE, DAILY)).build());
        harness.openAccount(MERCHANT, ALICE, "usd");
        harness.openAccount(MERCHANT, BOB, "usd");
        harness.openAccount(MERCHANT, EURO, "eur");
        harness.openAccount(OTHER_MERCHANT, MALLORY, "usd");
        harness.accountEvents();
        harness.drainLegs();
        oracle.putAll(Map.of(ALICE, 0L, BOB, 0L, EURO, 0L, MALLORY, 0L));
    }

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void depositIsDecidedAtTheTreasuryAndCreditsItsAccountOnceWithTheLedgerRowsOfBefore() {
        // Plan: one deposit, then a retry of it. The deposit must complete at once with the two entries
        // a deposit always booked (external -, account +); the retry is answered from the dedupe store.
        CreatePayment deposit = harness.deposit(MERCHANT, BOB, 1_000, "usd");
        harness.resend(deposit, deposit.routingKey());

        List<TestRecord<String, PaymentEvent>> events = harness.paymentEvents();
        assertThat(TopologyHarness.lifecycle(events)).containsExactly("1 PaymentCompleted");
        assertThat(events.get(0).value().entries()).containsExactly(
                new LedgerEntry(EXTERNAL, -1_000, "usd"), new LedgerEntry(BOB, 1_000, "usd"));
        assertThat(harness.replays()).singleElement()
                .satisfies(replay -> assertThat(replay.value().originalId()).isEqualTo(deposit.paymentId()));
        assertThat(deposit.routingKey()).isEqualTo(EXTERNAL);
        move(BOB, 1_000);
        assertBalancesMatchOracle();
    }

    @Test
    void depositOverTheSingleLimitIsDeclinedAndBooksNothing() {
        harness.deposit(MERCHANT, BOB, SINGLE, "usd");
        CreatePayment tooLarge = harness.deposit(MERCHANT, BOB, SINGLE + 1, "usd");

        List<TestRecord<String, PaymentEvent>> events = harness.paymentEvents();
        assertThat(TopologyHarness.lifecycle(events)).containsExactly("1 PaymentCompleted", "1 PaymentFailed");
        assertFailed(events.get(1).value(), tooLarge, DeclineCode.DEPOSIT_LIMIT_EXCEEDED);
        move(BOB, SINGLE);
        assertBalancesMatchOracle();
    }

    @Test
    void dailyLimitCountsOneMerchantsDepositsOfOneUtcDayAndNoOtherMerchants() {
        // Plan: Alpha deposits exactly the daily limit in three deposits, to two accounts; its next one
        // that day is declined, while Beta's deposit is taken. On the next UTC day Alpha may deposit again.
        harness.deposit(MERCHANT, ALICE, SINGLE, "usd");
        harness.deposit(MERCHANT, BOB, SINGLE, "usd");
        harness.deposit(MERCHANT, ALICE, DAILY - 2 * SINGLE, "usd");
        CreatePayment overDaily = harness.deposit(MERCHANT, BOB, 1, "usd");
        harness.deposit(OTHER_MERCHANT, MALLORY, SINGLE, "usd");

        List<TestRecord<String, PaymentEvent>> events = harness.paymentEvents();
        assertThat(TopologyHarness.lifecycle(events)).containsExactly("1 PaymentCompleted", "1 PaymentCompleted",
                "1 PaymentCompleted", "1 PaymentFailed", "1 PaymentCompleted");
        assertFailed(events.get(3).value(), overDaily, DeclineCode.DAILY_DEPOSIT_LIMIT_EXCEEDED);
        move(ALICE, SINGLE + DAILY - 2 * SINGLE);
        move(BOB, SINGLE);
        move(MALLORY, SINGLE);
        assertBalancesMatchOracle();

        // 2026-03-02T09:00 plus a day is the next UTC day, whatever the wall clock says.
        harness.advance(Duration.ofDays(1));
        harness.deposit(MERCHANT, BOB, 1, "usd");
        assertThat(TopologyHarness.lifecycle(harness.paymentEvents())).containsExactly("1 PaymentCompleted");
        move(BOB, 1);
        assertBalancesMatchOracle();
    }

    @Test
    void depositBeyondTheSupplyCapIsDeclinedAndNoBalanceChanges() {
        // Plan: two merchants bring exactly CAP into circulation (within their own limits); one unit
        // more from either is declined, however far both are from their own limits the next day.
        harness.deposit(MERCHANT, ALICE, SINGLE, "usd");
        harness.deposit(MERCHANT, BOB, SINGLE, "usd");
        harness.deposit(OTHER_MERCHANT, MALLORY, SINGLE, "usd");
        harness.advance(Duration.ofDays(1));
        harness.deposit(OTHER_MERCHANT, MALLORY, CAP - 3 * SINGLE, "usd");
        CreatePayment overCap = harness.deposit(MERCHANT, ALICE, 1, "usd");

        List<TestRecord<String, PaymentEvent>> events = harness.paymentEvents();
        assertThat(TopologyHarness.lifecycle(events)).containsExactly("1 PaymentCompleted", "1 PaymentCompleted",
                "1 PaymentCompleted", "1 PaymentCompleted", "1 PaymentFailed");
        assertFailed(events.get(4).value(), overCap, DeclineCode.SUPPLY_LIMIT_EXCEEDED);
        move(ALICE, SINGLE);
        move(BOB, SINGLE);
        move(MALLORY, CAP - 2 * SINGLE);
        assertBalancesMatchOracle();
        assertThat(oracle.get(EXTERNAL)).isEqualTo(-CAP);
    }

    @Test
    void retryOfADeclinedDepositReplaysTheDeclineAndExecutesNothing() {
        CreatePayment tooLarge = harness.deposit(MERCHANT, BOB, SINGLE + 1, "usd");
        harness.paymentEvents();

        harness.resend(tooLarge, tooLarge.routingKey());

        assertThat(harness.paymentEvents()).isEmpty();
        assertThat(harness.replays()).singleElement()
                .satisfies(replay -> assertThat(replay.value().originalId()).isEqualTo(tooLarge.paymentId()));
        assertBalancesMatchOracle();
    }

    @Test
    void depositToAnotherMerchantsOrAnotherCurrencysAccountFailsAtOnceAndBooksNothing() {
        CreatePayment toMallory = harness.deposit(MERCHANT, MALLORY, 500, "usd");
        CreatePayment toEuro = harness.deposit(MERCHANT, EURO, 500, "usd");

        List<TestRecord<String, PaymentEvent>> events = harness.paymentEvents();
        assertThat(TopologyHarness.lifecycle(events)).containsExactly("1 PaymentFailed", "1 PaymentFailed");
        assertFailed(events.get(0).value(), toMallory, DeclineCode.ACCOUNT_NOT_FOUND);
        assertFailed(events.get(1).value(), toEuro, DeclineCode.CURRENCY_MISMATCH);
        assertThat(harness.legsOn(KassaTopology.LEDGER_CREDITS)).isEmpty();
        assertThat(harness.account(EXTERNAL)).as("the treasury moved nothing").isEmpty();
        assertBalancesMatchOracle();
    }

    @Test
    void depositToAnUnknownAccountIsReversedAndGivesTheMerchantsDayBackItsAmount() {
        // Plan: an account the directory does not know takes the long way: the treasury debits the
        // external account and counts the day, the account's task refuses the credit and the reversal
        // returns both. The merchant can then still deposit its whole daily limit.
        CreatePayment toNobody = harness.deposit(MERCHANT, "acct_nobody", SINGLE, "usd");

        assertThat(harness.legsOn(KassaTopology.LEDGER_REVERSALS)).singleElement().satisfies(reverse -> {
            assertThat(reverse.key()).isEqualTo(EXTERNAL);
            assertThat(reverse.value()).isInstanceOf(Leg.Reverse.class);
        });
        List<TestRecord<String, PaymentEvent>> events = harness.paymentEvents();
        assertThat(TopologyHarness.lifecycle(events)).containsExactly("1 PaymentInitiated", "2 PaymentFailed");
        assertFailed(events.get(1).value(), toNobody, DeclineCode.ACCOUNT_NOT_FOUND);
        oracle.put(EXTERNAL, 0L);
        assertBalancesMatchOracle();

        harness.deposit(MERCHANT, ALICE, SINGLE, "usd");
        harness.deposit(MERCHANT, ALICE, SINGLE, "usd");
        harness.deposit(MERCHANT, ALICE, DAILY - 2 * SINGLE, "usd");
        assertThat(TopologyHarness.lifecycle(harness.paymentEvents()))
                .containsExactly("1 PaymentCompleted", "1 PaymentCompleted", "1 PaymentCompleted");
        move(ALICE, DAILY);
        assertBalancesMatchOracle();
    }

    @Test
    void depositKeyedByItsAccountAsBeforeTheTreasuryIsDecidedOnceAtTheTreasury() {
        // Plan: a deposit the earlier release published keyed by the account it credits reaches that
        // account's task: it is deduplicated there (where its retries land), its debit goes through
        // ledger-legs to the treasury, which decides it with the limits. A retry under the same key is
        // answered from the dedupe store and credits nothing again.
        CreatePayment deposit = harness.depositKeyedByItsAccount(MERCHANT, BOB, 700);
        harness.resend(deposit, BOB);

        assertThat(harness.legsOn(KassaTopology.LEDGER_LEGS)).singleElement().satisfies(debit -> {
            assertThat(debit.key()).isEqualTo(EXTERNAL);
            assertThat(debit.value()).isInstanceOf(Leg.Debit.class);
        });
        assertThat(TopologyHarness.lifecycle(harness.paymentEvents())).containsExactly("1 PaymentCompleted");
        assertThat(harness.replays()).singleElement()
                .satisfies(replay -> assertThat(replay.value().originalId()).isEqualTo(deposit.paymentId()));
        assertThat(harness.idempotencyEntry(deposit.key())).isPresent();
        move(BOB, 700);
        assertBalancesMatchOracle();

        CreatePayment tooLarge = harness.depositKeyedByItsAccount(MERCHANT, BOB, SINGLE + 1);
        List<TestRecord<String, PaymentEvent>> declined = harness.paymentEvents();
        assertThat(TopologyHarness.lifecycle(declined)).containsExactly("1 PaymentFailed");
        assertFailed(declined.get(0).value(), tooLarge, DeclineCode.DEPOSIT_LIMIT_EXCEEDED);
        assertBalancesMatchOracle();
    }

    @Test
    void theSupplyCapBoundsEveryBalanceSoNoCreditCanOverflow() {
        // Plan: bring the whole cap into circulation, then pay all of it into one account and try one
        // deposit more. The account ends at exactly the cap, the largest balance any account can hold,
        // with no exception; the extra deposit is declined. The largest cap allowed leaves room for any
        // credit below Long.MAX_VALUE, and the guard in AccountBalance.credited fails loudly if not.
        harness.deposit(MERCHANT, ALICE, SINGLE, "usd");
        harness.deposit(MERCHANT, BOB, SINGLE, "usd");
        harness.advance(Duration.ofDays(1));
        harness.deposit(MERCHANT, ALICE, SINGLE, "usd");
        harness.deposit(MERCHANT, BOB, SINGLE, "usd");
        harness.pay(MERCHANT, BOB, ALICE, 2 * SINGLE, "usd");
        CreatePayment more = harness.deposit(OTHER_MERCHANT, MALLORY, 1, "usd");

        List<TestRecord<String, PaymentEvent>> events = harness.paymentEvents();
        assertThat(TopologyHarness.lifecycle(events)).containsExactly("1 PaymentCompleted", "1 PaymentCompleted",
                "1 PaymentCompleted", "1 PaymentCompleted", "1 PaymentCompleted", "1 PaymentFailed");
        assertFailed(events.get(5).value(), more, DeclineCode.SUPPLY_LIMIT_EXCEEDED);
        assertThat(harness.balances(ALICE, BOB, MALLORY, EXTERNAL))
                .isEqualTo(Map.of(ALICE, CAP, BOB, 0L, MALLORY, 0L, EXTERNAL, -CAP));

        assertThat(DepositLimits.SUPPLY_CAP_MAX + Money.AMOUNT_MAX).as("a credit to the fullest account fits a long")
                .isLessThan(Long.MAX_VALUE / 2);
        AccountBalance broken = new AccountBalance(ALICE, MERCHANT, "usd", false, Long.MAX_VALUE - 1);
        assertThatThrownBy(() -> broken.credited(2)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(ALICE).hasMessageContaining("supply cap");
    }

    @Test
    void aMerchantsDayIsPurgedTwoDaysAfterItEndsAndNotBefore() {
        // Plan: a deposit on day 0 writes its day's total; stream time two days later keeps it, three
        // days later (a deposit advances stream time, the punctuator runs) deletes it.
        harness.deposit(MERCHANT, ALICE, 1, "usd");
        String day0 = DailyDeposits.key(MERCHANT, "usd", DailyDeposits.epochDay(TopologyHarness.START.toEpochMilli()));
        KeyValueStore<String, DailyDeposits> days = harness.driver().getKeyValueStore(TreasuryStores.DEPOSIT_DAYS);
        assertThat(days.get(day0)).isEqualTo(new DailyDeposits(20_514, 1));

        harness.advance(Duration.ofDays(2));
        harness.deposit(MERCHANT, ALICE, 1, "usd");
        assertThat(days.get(day0)).as("the day before yesterday is kept").isNotNull();

        harness.advance(Duration.ofDays(1));
        harness.deposit(MERCHANT, ALICE, 1, "usd");
        assertThat(days.get(day0)).as("three days back is purged").isNull();
    }

    /** A deposit of {@code amount} into {@code account}, in the oracle: the external account gives it. */
    private void move(String account, long amount) {
        oracle.merge(account, amount, Long::sum);
        oracle.merge(EXTERNAL, -amount, Long::sum);
    }

    private static void assertFailed(PaymentEvent failed, CreatePayment deposit, DeclineCode code) {
        assertThat(failed.paymentId()).isEqualTo(deposit.paymentId());
        assertThat(failed.payment().status()).isEqualTo(PaymentStatus.FAILED);
        assertThat(failed.payment().failureCode()).isEqualTo(code);
        assertThat(failed.entries()).isEmpty();
    }

    private void assertBalancesMatchOracle() {
        assertThat(harness.balances(oracle.keySet().toArray(String[]::new))).isEqualTo(oracle);
    }
}
