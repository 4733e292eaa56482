package dev.kassa.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.fraud.FraudRules;
import dev.kassa.model.CreatePayment;
import dev.kassa.model.DeclineCode;
import dev.kassa.model.FraudAssessment;
import dev.kassa.model.PaymentEvent;
import dev.kassa.model.PaymentEventType;
import dev.kassa.model.PaymentKind;
import dev.kassa.model.PaymentStatus;
import dev.kassa.topology.authorize.Leg;
import java.nio.file.Path;
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

        assertThat(settledTypes(harness.paymentEvents())).containsOnly(PaymentEventType.PaymentCompleted).hasSize(3);
        assertBalancesMatchOracle();
    }

    @Test
    void paymentWithInsufficientFundsFailsAndLeavesBalancesUnchanged() {
        CreatePayment payment = harness.pay(MERCHANT, ALICE, BOB, 10_001, "usd");

        assertFailedWith(payment, DeclineCode.INSUFFICIENT_FUNDS);
        assertBalancesMatchOracle();
    }

    @Test
    void paymentOfTheWholeBalanceCompletesAndLeavesZero() {
        harness.pay(MERCHANT, ALICE, BOB, 10_000, "usd");
        oracle.put(ALICE, 0L);
        oracle.put(BOB, 10_000L);

        assertThat(settledTypes(harness.paymentEvents())).containsExactly(PaymentEventType.PaymentCompleted);
        assertBalancesMatchOracle();
    }

    @Test
    void paymentFromUnknownSourceFailsWithAccountNotFound() {
        CreatePayment payment = harness.pay(MERCHANT, "acct_nobody", BOB, 100, "usd");

        assertFailedWith(payment, DeclineCode.ACCOUNT_NOT_FOUND);
        assertThat(harness.legsOn(KassaTopology.LEDGER_CREDITS)).isEmpty();
        assertBalancesMatchOracle();
    }

    @Test
    void paymentFromAnotherMerchantsAccountFailsWithAccountNotFound() {
        CreatePayment payment = harness.pay(MERCHANT, MALLORY, BOB, 100, "usd");

        assertFailedWith(payment, DeclineCode.ACCOUNT_NOT_FOUND);
        assertBalancesMatchOracle();
    }

    @Test
    void paymentInAnotherCurrencyThanTheSourceFailsWithCurrencyMismatch() {
        CreatePayment payment = harness.pay(MERCHANT, ALICE, EURO, 100, "eur");

        assertFailedWith(payment, DeclineCode.CURRENCY_MISMATCH);
        assertThat(harness.legsOn(KassaTopology.LEDGER_CREDITS)).isEmpty();
        assertBalancesMatchOracle();
    }

    @Test
    void paymentToUnknownDestinationGivesTheDebitBackAndFailsWithAccountNotFound() {
        // Plan: the debit succeeds at Alice's partition, the credit finds no destination, and the
        // reversal must return Alice's money: the store ends where it started.
        CreatePayment payment = harness.pay(MERCHANT, ALICE, "acct_nobody", 700, "usd");

        assertThat(harness.legsOn(KassaTopology.LEDGER_REVERSALS))
                .singleElement()
                .satisfies(reversal -> {
                    assertThat(reversal.key()).isEqualTo(ALICE);
                    assertThat(reversal.value()).isInstanceOfSatisfying(Leg.Reverse.class,
                            leg -> assertThat(leg.declineCode()).isEqualTo(DeclineCode.ACCOUNT_NOT_FOUND));
                });
        assertFailedWith(payment, DeclineCode.ACCOUNT_NOT_FOUND);
        assertBalancesMatchOracle();
    }

    @Test
    void paymentToAnotherMerchantsAccountIsRefusedAtTheSourceWithAccountNotFound() {
        CreatePayment payment = harness.pay(MERCHANT, ALICE, MALLORY, 700, "usd");

        assertFailedWith(payment, DeclineCode.ACCOUNT_NOT_FOUND);
        assertThat(harness.legsOn(KassaTopology.LEDGER_CREDITS)).as("nothing debited, nothing to credit").isEmpty();
        assertBalancesMatchOracle();
    }

    @Test
    void paymentToKnownDestinationInAnotherCurrencyIsRefusedAtTheSourceWithoutADebit() {
        // Plan: the account directory knows EURO is in eur, so the usd payment is refused where it is
        // decided, before any money moves: no credit and no reversal leg is ever written.
        CreatePayment payment = harness.pay(MERCHANT, ALICE, EURO, 700, "usd");

        assertFailedWith(payment, DeclineCode.CURRENCY_MISMATCH);
        assertThat(harness.legsOn(KassaTopology.LEDGER_CREDITS)).isEmpty();
        assertThat(harness.legsOn(KassaTopology.LEDGER_REVERSALS)).isEmpty();
        assertBalancesMatchOracle();
    }

    @Test
    void paymentToAnAccountTheDirectoryHasNotSeenYetCompletesAtTheDestinationsPartition() {
        // Plan: the directory is a global store fed by its own thread, so it may not know an account
        // opened a moment ago. Make it forget Bob: the payment must still complete, the long way
        // (a Credit leg decided by Bob's task), with the same balances as the one-hop way.
        harness.forgetInAccountDirectory(BOB);
        CreatePayment payment = harness.pay(MERCHANT, ALICE, BOB, 400, "usd");

        assertThat(harness.legsOn(KassaTopology.LEDGER_CREDITS)).singleElement().satisfies(credit -> {
            assertThat(credit.key()).isEqualTo(BOB);
            assertThat(credit.value()).isInstanceOf(Leg.Credit.class);
        });
        assertThat(harness.paymentEvents()).extracting(record -> record.value().type())
                .containsExactly(PaymentEventType.PaymentInitiated, PaymentEventType.PaymentCompleted);
        assertThat(harness.refundable(payment.paymentId())).isPresent();
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
        assertFailedWith(payment, DeclineCode.CURRENCY_MISMATCH);
        assertBalancesMatchOracle();
    }

    @Test
    void depositToUnknownAccountFailsWithoutAReversal() {
        CreatePayment deposit = harness.deposit(MERCHANT, "acct_nobody", 500, "usd");

        assertFailedWith(deposit, DeclineCode.ACCOUNT_NOT_FOUND);
        assertThat(harness.legsOn(KassaTopology.LEDGER_REVERSALS)).isEmpty();
        assertBalancesMatchOracle();
    }

    @Test
    void depositInAnotherCurrencyThanTheAccountFailsWithCurrencyMismatch() {
        CreatePayment deposit = harness.deposit(MERCHANT, ALICE, 500, "eur");

        assertFailedWith(deposit, DeclineCode.CURRENCY_MISMATCH);
        assertBalancesMatchOracle();
    }

    @Test
    void depositFromAnAccountOtherThanTheExternalOneFails() {
        CreatePayment deposit = harness.create(MERCHANT, PaymentKind.DEPOSIT, BOB, ALICE, 500, "usd");

        assertFailedWith(deposit, DeclineCode.ACCOUNT_NOT_FOUND);
        assertBalancesMatchOracle();
    }

    @Test
    void paymentIsDecidedAtItsSourceInOneHopAndOnlyItsCreditIsRoutedToTheDestinationsPartition() {
        // Plan: the command is keyed by its source, so the debit never crosses a topic: nothing is
        // written to ledger-legs, the payment completes in the source's task, and the one record that
        // leaves it is the credit, keyed by the destination (what the partitioner hashes).
        CreatePayment payment = harness.pay(MERCHANT, ALICE, BOB, 400, "usd");

        assertThat(harness.legsOn(KassaTopology.LEDGER_LEGS)).isEmpty();
        assertThat(harness.paymentEvents()).extracting(record -> record.value().type())
                .containsExactly(PaymentEventType.PaymentInitiated, PaymentEventType.PaymentCompleted);
        assertThat(harness.legsOn(KassaTopology.LEDGER_CREDITS)).singleElement().satisfies(credit -> {
            assertThat(credit.key()).isEqualTo(BOB);
            assertThat(credit.value()).isInstanceOfSatisfying(Leg.CompletedCredit.class,
                    leg -> assertThat(leg.payment().id()).isEqualTo(payment.paymentId()));
        });
        assertThat(harness.refundable(payment.paymentId())).as("refundable where its destination is").isPresent();
        oracle.merge(ALICE, -400L, Long::sum);
        oracle.merge(BOB, 400L, Long::sum);
        assertBalancesMatchOracle();
    }

    @Test
    void depositIsDecidedAtItsAccountsPartitionWithoutARepartition() {
        harness.deposit(MERCHANT, BOB, 900, "usd");

        assertThat(harness.legsOn(KassaTopology.LEDGER_LEGS)).isEmpty();
        assertThat(harness.legsOn(KassaTopology.LEDGER_CREDITS)).isEmpty();
        assertThat(harness.paymentEvents()).extracting(record -> record.value().type())
                .containsExactly(PaymentEventType.PaymentInitiated, PaymentEventType.PaymentCompleted);
        oracle.merge(BOB, 900L, Long::sum);
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
            assertThat(debit.value()).isInstanceOf(Leg.Debit.class);
        });
        assertThat(harness.paymentEvents()).extracting(record -> record.value().type())
                .containsExactly(PaymentEventType.PaymentInitiated, PaymentEventType.PaymentCompleted);
        assertThat(harness.idempotencyEntry(payment.key())).isPresent();
        oracle.merge(ALICE, -300L, Long::sum);
        oracle.merge(BOB, 300L, Long::sum);
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

        PaymentEvent failed = assertFailedWith(blocked, DeclineCode.FRAUD_BLOCKED);
        assertThat(failed.payment().fraud()).isEqualTo(block);
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

        assertThat(harness.paymentEvents()).last().satisfies(completed -> {
            assertThat(completed.value().type()).isEqualTo(PaymentEventType.PaymentCompleted);
            assertThat(completed.value().payment().fraud()).isEqualTo(review);
        });
        oracle.merge(ALICE, -100L, Long::sum);
        oracle.merge(BOB, 100L, Long::sum);
        assertBalancesMatchOracle();
    }

    private PaymentEvent assertFailedWith(CreatePayment payment, DeclineCode code) {
        List<TestRecord<String, PaymentEvent>> events = harness.paymentEvents();
        assertThat(events).extracting(TestRecord::key).containsOnly(payment.paymentId());
        assertThat(events).extracting(record -> record.value().type())
                .containsExactly(PaymentEventType.PaymentInitiated, PaymentEventType.PaymentFailed);
        PaymentEvent failed = events.get(1).value();
        assertThat(failed.payment().status()).isEqualTo(PaymentStatus.FAILED);
        assertThat(failed.payment().failureCode()).isEqualTo(code);
        assertThat(failed.entries()).isEmpty();
        return failed;
    }

    private static List<PaymentEventType> settledTypes(List<TestRecord<String, PaymentEvent>> events) {
        return events.stream()
                .map(TestRecord::value)
                .filter(event -> event.type() != PaymentEventType.PaymentInitiated)
                .map(PaymentEvent::type)
                .toList();
    }

    private void assertBalancesMatchOracle() {
        assertThat(harness.balances(oracle.keySet().toArray(String[]::new))).isEqualTo(oracle);
    }
}
