package dev.kassa.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.fraud.FraudRules;
import dev.kassa.model.CreatePayment;
import dev.kassa.model.DeclineCode;
import dev.kassa.model.FraudAssessment;
import dev.kassa.model.Ids;
import dev.kassa.model.PaymentEvent;
import dev.kassa.model.PaymentEventType;
import dev.kassa.model.PaymentKind;
import dev.kassa.model.PaymentStatus;
import dev.kassa.topology.authorize.Leg;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authorization outcomes through the whole topology. Each test keeps its own oracle — the balances
 * a simple model of the ledger expects — and compares the {@code balances} store against it, never
 * against numbers the topology computed.
 */
class AuthorizationTest {

    private static final String MERCHANT = "mer_alpha";
    private static final String OTHER_MERCHANT = "mer_beta";
    private static final String ALICE = "acct_alice";
    private static final String BOB = "acct_bob";
    private static final String EURO = "acct_euro";
    private static final String MALLORY = "acct_mallory";

    @TempDir
    Path stateDir;

    private TopologyHarness harness;
    private final Map<String, Long> oracle = new HashMap<>();

    @BeforeEach
    void openAccounts() {
        harness = new TopologyHarness(stateDir);
        openAccounts(harness);
    }

    private void openAccounts(TopologyHarness topology) {
        topology.openAccount(MERCHANT, ALICE, "usd");
        topology.openAccount(MERCHANT, BOB, "usd");
        topology.openAccount(MERCHANT, EURO, "eur");
        topology.openAccount(OTHER_MERCHANT, MALLORY, "usd");
        topology.deposit(MERCHANT, ALICE, 10_000, "usd");
        topology.deposit(OTHER_MERCHANT, MALLORY, 5_000, "usd");
        topology.paymentEvents();
        topology.accountEvents();
        topology.drainLegs();
        oracle.putAll(Map.of(ALICE, 10_000L, BOB, 0L, EURO, 0L, MALLORY, 5_000L));
    }

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void depositThenPaymentCompletesAndBalancesMatchTheOracle() {
        // Plan: deposit into Bob, pay Alice -> Bob twice; the store must equal a hand-kept ledger.
        harness.deposit(MERCHANT, BOB, 250, "usd");
        oracle.merge(BOB, 250L, Long::sum);
        harness.pay(MERCHANT, ALICE, BOB, 3_000, "usd");
        harness.pay(MERCHANT, BOB, ALICE, 1_250, "usd");
        oracle.merge(ALICE, -3_000L + 1_250L, Long::sum);
        oracle.merge(BOB, 3_000L - 1_250L, Long::sum);

        assertThat(TopologyHarness.lifecycle(harness.paymentEvents()))
                .as("each decided at once: published once, by its outcome")
                .containsExactly("1 PaymentCompleted", "1 PaymentCompleted", "1 PaymentCompleted");
        assertBalancesMatchOracle();
    }

    @Test
    void paymentWithInsufficientFundsFailsAndLeavesBalancesUnchanged() {
        CreatePayment payment = harness.pay(MERCHANT, ALICE, BOB, 10_001, "usd");

        assertFailedAtOnce(payment, DeclineCode.INSUFFICIENT_FUNDS);
        assertBalancesMatchOracle();
    }

    @Test
    void paymentOfTheWholeBalanceCompletesAndLeavesZero() {
        harness.pay(MERCHANT, ALICE, BOB, 10_000, "usd");
        oracle.put(ALICE, 0L);
        oracle.put(BOB, 10_000L);

        assertThat(TopologyHarness.lifecycle(harness.paymentEvents())).containsExactly("1 PaymentCompleted");
        assertBalancesMatchOracle();
    }

    @Test
    void paymentFromUnknownSourceFailsWithAccountNotFound() {
        CreatePayment payment = harness.pay(MERCHANT, "acct_nobody", BOB, 100, "usd");

        assertFailedAtOnce(payment, DeclineCode.ACCOUNT_NOT_FOUND);
        assertThat(harness.legsOn(KassaTopology.LEDGER_CREDITS)).isEmpty();
        assertBalancesMatchOracle();
    }

    @Test
    void paymentFromAnotherMerchantsAccountFailsWithAccountNotFound() {
        CreatePayment payment = harness.pay(MERCHANT, MALLORY, BOB, 100, "usd");

        assertFailedAtOnce(payment, DeclineCode.ACCOUNT_NOT_FOUND);
        assertBalancesMatchOracle();
    }

    @Test
    void paymentInAnotherCurrencyThanTheSourceFailsWithCurrencyMismatch() {
        CreatePayment payment = harness.pay(MERCHANT, ALICE, EURO, 100, "eur");

        assertFailedAtOnce(payment, DeclineCode.CURRENCY_MISMATCH);
        assertThat(harness.legsOn(KassaTopology.LEDGER_CREDITS)).isEmpty();
        assertBalancesMatchOracle();
    }

    @Test
    void paymentToUnknownDestinationGivesTheDebitBackAndFailsWithAccountNotFound() {
        // Plan: the directory does not know the destination, so the payment takes the long way: the
        // debit succeeds at Alice's partition and publishes PaymentInitiated, the credit finds no
        // destination, and the reversal must return Alice's money and fail the payment at sequence 2:
        // the store ends where it started.
        CreatePayment payment = harness.pay(MERCHANT, ALICE, "acct_nobody", 700, "usd");

        assertThat(harness.legsOn(KassaTopology.LEDGER_REVERSALS))
                .singleElement()
                .satisfies(reversal -> {
                    assertThat(reversal.key()).isEqualTo(ALICE);
                    assertThat(reversal.value()).isInstanceOfSatisfying(Leg.Reverse.class,
                            leg -> assertThat(leg.declineCode()).isEqualTo(DeclineCode.ACCOUNT_NOT_FOUND));
                });
        assertFailedAfterInitiated(payment, DeclineCode.ACCOUNT_NOT_FOUND);
        assertBalancesMatchOracle();
    }

    @Test
    void paymentToAnotherMerchantsAccountIsRefusedAtTheSourceWithAccountNotFound() {
        CreatePayment payment = harness.pay(MERCHANT, ALICE, MALLORY, 700, "usd");

        assertFailedAtOnce(payment, DeclineCode.ACCOUNT_NOT_FOUND);
        assertThat(harness.legsOn(KassaTopology.LEDGER_CREDITS)).as("nothing debited, nothing to credit").isEmpty();
        assertBalancesMatchOracle();
    }

    @Test
    void paymentToKnownDestinationInAnotherCurrencyIsRefusedAtTheSourceWithoutADebit() {
        // Plan: the account directory knows EURO is in eur, so the usd payment is refused where it is
        // decided, before any money moves: no credit and no reversal leg is ever written.
        CreatePayment payment = harness.pay(MERCHANT, ALICE, EURO, 700, "usd");

        assertFailedAtOnce(payment, DeclineCode.CURRENCY_MISMATCH);
        assertThat(harness.legsOn(KassaTopology.LEDGER_CREDITS)).isEmpty();
        assertThat(harness.legsOn(KassaTopology.LEDGER_REVERSALS)).isEmpty();
        assertBalancesMatchOracle();
    }

    @Test
    void paymentToAnAccountTheDirectoryHasNotSeenYetCompletesAtTheDestinationsPartition() {
        // Plan: the directory is a global store fed by its own thread, so it may not know an account
        // opened a moment ago. Make it forget Bob: the payment must still complete, the long way
        // (a Credit leg decided by Bob's task), with the same balances as the one-hop way. Its outcome
        // waits for another task, so the debit publishes PaymentInitiated (1) and Bob's task the
        // completion (2); its refunds number on from 3.
        harness.forgetInAccountDirectory(BOB);
        CreatePayment payment = harness.pay(MERCHANT, ALICE, BOB, 400, "usd");

        assertThat(harness.legsOn(KassaTopology.LEDGER_CREDITS)).singleElement().satisfies(credit -> {
            assertThat(credit.key()).isEqualTo(BOB);
            assertThat(credit.value()).isInstanceOfSatisfying(Leg.Credit.class,
                    leg -> assertThat(leg.initiatedPublished()).isTrue());
        });
        List<TestRecord<String, PaymentEvent>> events = harness.paymentEvents();
        assertThat(events).extracting(TestRecord::key).containsOnly(payment.paymentId());
        assertThat(TopologyHarness.lifecycle(events)).containsExactly("1 PaymentInitiated", "2 PaymentCompleted");
        assertInitiatedPending(events.get(0).value());
        assertThat(events.get(1).value().entries()).hasSize(2);
        assertThat(harness.refundable(payment.paymentId())).hasValueSatisfying(
                refundable -> assertThat(refundable.nextSequence()).isEqualTo(3));
        oracle.merge(ALICE, -400L, Long::sum);
        oracle.merge(BOB, 400L, Long::sum);
        assertBalancesMatchOracle();
    }

    @Test
    void paymentInAnotherCurrencyThanADestinationTheDirectoryHasNotSeenGivesTheDebitBack() {
        // Plan: without the directory's facts the source debits and the destination's task refuses the
        // credit; the reversal must return Alice's money, so the store ends where it started.
        harness.forgetInAccountDirectory(EURO);
        CreatePayment payment = harness.pay(MERCHANT, ALICE, EURO, 700, "usd");

        assertThat(harness.legsOn(KassaTopology.LEDGER_REVERSALS)).extracting(TestRecord::key).containsExactly(ALICE);
        assertFailedAfterInitiated(payment, DeclineCode.CURRENCY_MISMATCH);
        assertBalancesMatchOracle();
    }

    @Test
    void depositToAnAccountTheDirectoryDoesNotKnowTakesTheLongWayAndGivesTheTreasuryItsMoneyBack() {
        // Plan: the treasury cannot tell an unknown account from one opened a moment ago, so it debits
        // the external account and sends a Credit; the account's task refuses it, and the reversal must
        // bring the external account back to where it was: nothing booked, nothing in circulation.
        CreatePayment deposit = harness.deposit(MERCHANT, "acct_nobody", 500, "usd");

        assertThat(harness.legsOn(KassaTopology.LEDGER_REVERSALS)).extracting(TestRecord::key)
                .containsExactly(Ids.externalAccount("usd"));
        assertFailedAfterInitiated(deposit, DeclineCode.ACCOUNT_NOT_FOUND);
        oracle.put(Ids.externalAccount("usd"), -15_000L);
        assertBalancesMatchOracle();
    }

    @Test
    void depositInAnotherCurrencyThanTheAccountFailsWithCurrencyMismatch() {
        CreatePayment deposit = harness.deposit(MERCHANT, ALICE, 500, "eur");

        assertFailedAtOnce(deposit, DeclineCode.CURRENCY_MISMATCH);
        assertBalancesMatchOracle();
    }

    @Test
    void depositFromAnAccountOtherThanTheExternalOneFails() {
        CreatePayment deposit = harness.create(MERCHANT, PaymentKind.DEPOSIT, BOB, ALICE, 500, "usd");

        assertFailedAtOnce(deposit, DeclineCode.ACCOUNT_NOT_FOUND);
        assertThat(harness.legsOn(KassaTopology.LEDGER_LEGS)).as("failed in initiate, no leg").isEmpty();
        assertBalancesMatchOracle();
    }

    @Test
    void paymentIsDecidedAtItsSourceInOneHopAndOnlyItsCreditIsRoutedToTheDestinationsPartition() {
        // Plan: the command is keyed by its source, so the debit never crosses a topic: nothing is
        // written to ledger-legs, the payment completes in the source's task, and the one record that
        // leaves it is the credit, keyed by the destination (what the partitioner hashes). Decided in
        // the transaction that took the command, it is published once: PaymentCompleted at sequence 1,
        // which the credit carries so that the payment's refunds number on from 2.
        CreatePayment payment = harness.pay(MERCHANT, ALICE, BOB, 400, "usd");

        assertThat(harness.legsOn(KassaTopology.LEDGER_LEGS)).isEmpty();
        List<TestRecord<String, PaymentEvent>> events = harness.paymentEvents();
        assertThat(events).extracting(TestRecord::key).containsOnly(payment.paymentId());
        assertThat(TopologyHarness.lifecycle(events)).containsExactly("1 PaymentCompleted");
        assertThat(harness.legsOn(KassaTopology.LEDGER_CREDITS)).singleElement().satisfies(credit -> {
            assertThat(credit.key()).isEqualTo(BOB);
            assertThat(credit.value()).isInstanceOfSatisfying(Leg.CompletedCredit.class, leg -> {
                assertThat(leg.payment().id()).isEqualTo(payment.paymentId());
                assertThat(leg.sequence()).isEqualTo(1);
            });
        });
        assertThat(harness.refundable(payment.paymentId())).as("refundable where its destination is")
                .hasValueSatisfying(refundable -> assertThat(refundable.nextSequence()).isEqualTo(2));
        oracle.merge(ALICE, -400L, Long::sum);
        oracle.merge(BOB, 400L, Long::sum);
        assertBalancesMatchOracle();
    }

    @Test
    void depositIsDecidedAtItsTreasuryInOneHopAndOnlyItsCreditIsRoutedToTheAccountsPartition() {
        // Plan: the command is keyed by the external account, so the treasury task decides it without a
        // repartition, and the one record that leaves it is the credit, keyed by the account it credits.
        CreatePayment deposit = harness.deposit(MERCHANT, BOB, 900, "usd");

        assertThat(harness.legsOn(KassaTopology.LEDGER_LEGS)).isEmpty();
        assertThat(harness.legsOn(KassaTopology.LEDGER_CREDITS)).singleElement().satisfies(credit -> {
            assertThat(credit.key()).isEqualTo(BOB);
            assertThat(credit.value()).isInstanceOfSatisfying(Leg.CompletedCredit.class,
                    leg -> assertThat(leg.payment().id()).isEqualTo(deposit.paymentId()));
        });
        assertThat(TopologyHarness.lifecycle(harness.paymentEvents())).containsExactly("1 PaymentCompleted");
        oracle.merge(BOB, 900L, Long::sum);
        oracle.put(Ids.externalAccount("usd"), -15_900L);
        assertBalancesMatchOracle();
    }

    @Test
    void commandKeyedByItsIdempotencyKeyAsBeforeTheOneHopReleaseStillReachesItsSourcesTask() {
        // Plan: a command an earlier release published under merchant:key (still on the topic when
        // the gateway is upgraded) lands in a task that may not own its source; its debit must then
        // go through ledger-legs, keyed by the source, and the payment complete with the right balances.
        CreatePayment payment = harness.payKeyedByCommandKey(MERCHANT, ALICE, BOB, 300);

        assertThat(harness.legsOn(KassaTopology.LEDGER_LEGS)).singleElement().satisfies(debit -> {
            assertThat(debit.key()).isEqualTo(ALICE);
            assertThat(debit.value()).isInstanceOfSatisfying(Leg.Debit.class,
                    leg -> assertThat(leg.initiatedPublished()).isFalse());
        });
        assertThat(TopologyHarness.lifecycle(harness.paymentEvents())).containsExactly("1 PaymentCompleted");
        assertThat(harness.idempotencyEntry(payment.key())).isPresent();
        oracle.merge(ALICE, -300L, Long::sum);
        oracle.merge(BOB, 300L, Long::sum);
        assertBalancesMatchOracle();
    }

    @Test
    void debitWrittenByThePreviousReleaseCompletesAtSequenceTwoWithoutASecondInitiated() {
        // Plan: the previous release published PaymentInitiated (1) of every payment before its first
        // leg, and sent the debit of a command keyed as before the one-hop release through ledger-legs,
        // where an upgrade can find it. Feed such a debit, in that release's JSON (no initiatedPublished),
        // into ledger-legs: the payment must complete at 2 and publish no second PaymentInitiated, and its
        // credit and refundable entry must number its refunds on from 3.
        Instant created = harness.advance(Duration.ofSeconds(1));
        String paymentId = Ids.next(Ids.PAYMENT, created);
        harness.pipeLegJson(KassaTopology.LEDGER_LEGS, ALICE,
                PreviousReleaseLegs.debit(paymentId, "old-key-1", ALICE, BOB, 300, created), created);

        List<TestRecord<String, PaymentEvent>> events = harness.paymentEvents();
        assertThat(events).extracting(TestRecord::key).containsOnly(paymentId);
        assertThat(TopologyHarness.lifecycle(events)).containsExactly("2 PaymentCompleted");
        assertThat(harness.legsOn(KassaTopology.LEDGER_CREDITS)).singleElement().satisfies(credit ->
                assertThat(credit.value()).isInstanceOfSatisfying(Leg.CompletedCredit.class,
                        leg -> assertThat(leg.sequence()).isEqualTo(2)));
        assertThat(harness.refundable(paymentId)).hasValueSatisfying(
                refundable -> assertThat(refundable.nextSequence()).isEqualTo(3));
        oracle.merge(ALICE, -300L, Long::sum);
        oracle.merge(BOB, 300L, Long::sum);
        assertBalancesMatchOracle();
    }

    @Test
    void debitWrittenByThePreviousReleaseThatIsRefusedFailsAtSequenceTwo() {
        Instant created = harness.advance(Duration.ofSeconds(1));
        String paymentId = Ids.next(Ids.PAYMENT, created);
        harness.pipeLegJson(KassaTopology.LEDGER_LEGS, ALICE,
                PreviousReleaseLegs.debit(paymentId, "old-key-1", ALICE, BOB, 10_001, created), created);

        List<TestRecord<String, PaymentEvent>> events = harness.paymentEvents();
        assertThat(events).extracting(TestRecord::key).containsOnly(paymentId);
        assertThat(TopologyHarness.lifecycle(events)).containsExactly("2 PaymentFailed");
        assertFailed(events.get(0).value(), DeclineCode.INSUFFICIENT_FUNDS);
        assertBalancesMatchOracle();
    }

    @Test
    void debitWrittenByThePreviousReleaseTakingTheLongWayPublishesNoSecondInitiated() {
        // Plan: as above, to a destination the directory has not seen: the debit must send the Credit
        // on without publishing PaymentInitiated again (that release did), and Bob's task complete it at 2.
        harness.forgetInAccountDirectory(BOB);
        Instant created = harness.advance(Duration.ofSeconds(1));
        String paymentId = Ids.next(Ids.PAYMENT, created);
        harness.pipeLegJson(KassaTopology.LEDGER_LEGS, ALICE,
                PreviousReleaseLegs.debit(paymentId, "old-key-1", ALICE, BOB, 300, created), created);

        assertThat(TopologyHarness.lifecycle(harness.paymentEvents())).containsExactly("2 PaymentCompleted");
        assertThat(harness.refundable(paymentId)).hasValueSatisfying(
                refundable -> assertThat(refundable.nextSequence()).isEqualTo(3));
        oracle.merge(ALICE, -300L, Long::sum);
        oracle.merge(BOB, 300L, Long::sum);
        assertBalancesMatchOracle();
    }

    @Test
    void depositCreditWrittenByThePreviousReleaseCompletesAtSequenceTwo() {
        // Plan: that release also sent a deposit's credit through ledger-legs when its command was keyed
        // as before the one-hop release, after publishing its PaymentInitiated: the deposit must
        // complete at 2, not at 1 a second time.
        Instant created = harness.advance(Duration.ofSeconds(1));
        String paymentId = Ids.next(Ids.PAYMENT, created);
        harness.pipeLegJson(KassaTopology.LEDGER_LEGS, BOB,
                PreviousReleaseLegs.depositCredit(paymentId, "old-key-1", BOB, 500, created), created);

        assertThat(TopologyHarness.lifecycle(harness.paymentEvents())).containsExactly("2 PaymentCompleted");
        oracle.merge(BOB, 500L, Long::sum);
        assertBalancesMatchOracle();
    }

    @Test
    void paymentBlockedByFraudRulesFailsAndLeavesBalancesUnchanged() {
        harness.close();
        FraudAssessment block = new FraudAssessment(97, FraudAssessment.Decision.BLOCK, List.of("amount over 5000"));
        harness = new TopologyHarness(stateDir.resolve("blocking"),
                features -> features.amount() > 5_000 ? block : FraudAssessment.ALLOWED);
        openAccounts(harness);

        CreatePayment blocked = harness.pay(MERCHANT, ALICE, BOB, 6_000, "usd");

        PaymentEvent failed = assertFailedAtOnce(blocked, DeclineCode.FRAUD_BLOCKED);
        assertThat(failed.payment().fraud()).isEqualTo(block);
        assertBalancesMatchOracle();

        // A debit the previous release wrote followed its PaymentInitiated: blocked, it fails at 2.
        Instant created = harness.advance(Duration.ofSeconds(1));
        String paymentId = Ids.next(Ids.PAYMENT, created);
        harness.pipeLegJson(KassaTopology.LEDGER_LEGS, ALICE,
                PreviousReleaseLegs.debit(paymentId, "old-key-1", ALICE, BOB, 6_000, created), created);

        List<TestRecord<String, PaymentEvent>> events = harness.paymentEvents();
        assertThat(events).extracting(TestRecord::key).containsOnly(paymentId);
        assertThat(TopologyHarness.lifecycle(events)).containsExactly("2 PaymentFailed");
        assertFailed(events.get(0).value(), DeclineCode.FRAUD_BLOCKED);
        assertBalancesMatchOracle();
    }

    @Test
    void fraudReviewVerdictDoesNotBlockAndTravelsWithTheCompletedPayment() {
        harness.close();
        FraudAssessment review = new FraudAssessment(60, FraudAssessment.Decision.REVIEW, List.of("new payee"));
        FraudRules rules = features -> review;
        harness = new TopologyHarness(stateDir.resolve("reviewing"), rules);
        openAccounts(harness);

        harness.pay(MERCHANT, ALICE, BOB, 100, "usd");

        assertThat(harness.paymentEvents()).singleElement().satisfies(completed -> {
            assertThat(completed.value().type()).isEqualTo(PaymentEventType.PaymentCompleted);
            assertThat(completed.value().sequence()).isEqualTo(1);
            assertThat(completed.value().payment().fraud()).isEqualTo(review);
        });
        oracle.merge(ALICE, -100L, Long::sum);
        oracle.merge(BOB, 100L, Long::sum);
        assertBalancesMatchOracle();
    }

    /** The payment was refused in the transaction that took it: its one event is its failure, at 1. */
    private PaymentEvent assertFailedAtOnce(CreatePayment payment, DeclineCode code) {
        List<TestRecord<String, PaymentEvent>> events = harness.paymentEvents();
        assertThat(events).extracting(TestRecord::key).containsOnly(payment.paymentId());
        assertThat(TopologyHarness.lifecycle(events)).containsExactly("1 PaymentFailed");
        return assertFailed(events.get(0).value(), code);
    }

    /** The payment took the long way and was reversed: PaymentInitiated at 1, its failure at 2. */
    private PaymentEvent assertFailedAfterInitiated(CreatePayment payment, DeclineCode code) {
        List<TestRecord<String, PaymentEvent>> events = harness.paymentEvents();
        assertThat(events).extracting(TestRecord::key).containsOnly(payment.paymentId());
        assertThat(TopologyHarness.lifecycle(events)).containsExactly("1 PaymentInitiated", "2 PaymentFailed");
        assertInitiatedPending(events.get(0).value());
        return assertFailed(events.get(1).value(), code);
    }

    private static PaymentEvent assertFailed(PaymentEvent failed, DeclineCode code) {
        assertThat(failed.payment().status()).isEqualTo(PaymentStatus.FAILED);
        assertThat(failed.payment().failureCode()).isEqualTo(code);
        assertThat(failed.entries()).isEmpty();
        return failed;
    }

    private static void assertInitiatedPending(PaymentEvent initiated) {
        assertThat(initiated.payment().status()).isEqualTo(PaymentStatus.PENDING);
        assertThat(initiated.entries()).isEmpty();
    }

    private void assertBalancesMatchOracle() {
        assertThat(harness.balances(oracle.keySet().toArray(String[]::new))).isEqualTo(oracle);
    }
}
