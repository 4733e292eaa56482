package dev.kassa.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.model.CreatePayment;
import dev.kassa.model.CreateRefund;
import dev.kassa.model.DeclineCode;
import dev.kassa.model.Ids;
import dev.kassa.model.LedgerEntry;
import dev.kassa.model.PaymentEvent;
import dev.kassa.model.PaymentEventType;
import dev.kassa.model.PaymentKind;
import dev.kassa.model.PaymentStatus;
import dev.kassa.model.Refund;
import dev.kassa.model.RefundStatus;
import dev.kassa.topology.refund.RefundablePayments;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refunds through the whole topology. Each test keeps its own oracle of balances and of what is left
 * to refund of each payment, and compares the {@code balances} store and the events against it.
 */
class RefundTest {

    private static final String MERCHANT = "mer_alpha";
    private static final String OTHER_MERCHANT = "mer_beta";
    private static final String ALICE = "acct_alice";
    private static final String BOB = "acct_bob";
    private static final String CAROL = "acct_carol";

    @TempDir
    Path stateDir;

    private TopologyHarness harness;
    private final Map<String, Long> oracle = new HashMap<>();

    @BeforeEach
    void openAccounts() {
        harness = new TopologyHarness(stateDir);
        harness.openAccount(MERCHANT, ALICE, "usd");
        harness.openAccount(MERCHANT, BOB, "usd");
        harness.openAccount(MERCHANT, CAROL, "usd");
        harness.deposit(MERCHANT, ALICE, 10_000, "usd");
        harness.paymentEvents();
        harness.accountEvents();
        harness.drainLegs();
        oracle.putAll(Map.of(ALICE, 10_000L, BOB, 0L, CAROL, 0L));
    }

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void partialRefundsThenTheRestRefundThePaymentExactlyOnce() {
        // Plan: pay 1,000 Alice -> Bob, refund 300, then 200, then the rest (no amount). Each refund must
        // complete, move its amount Bob -> Alice, and leave the payment partially_refunded until nothing is left.
        CreatePayment payment = pay(ALICE, BOB, 1_000);
        List<PaymentEvent> first = completedRefund(harness.refund(MERCHANT, payment, 300L), 300);
        List<PaymentEvent> second = completedRefund(harness.refund(MERCHANT, payment, 200L), 200);
        List<PaymentEvent> rest = completedRefund(harness.refund(MERCHANT, payment, null), 500);

        assertThat(first.get(1).payment().status()).isEqualTo(PaymentStatus.PARTIALLY_REFUNDED);
        assertThat(first.get(1).payment().amountRefunded()).isEqualTo(300);
        assertThat(second.get(1).payment().amountRefunded()).isEqualTo(500);
        assertThat(rest.get(1).payment().status()).isEqualTo(PaymentStatus.REFUNDED);
        assertThat(rest.get(1).payment().amountRefunded()).isEqualTo(1_000);
        assertThat(rest.get(1).refund().amount()).isEqualTo(500);
        assertBalancesMatchOracle();
    }

    @Test
    void overRefundFailsWithRefundExceedsPaymentAndMovesNoMoney() {
        // Plan: pay 1,000, refund 600 (completes), then 500: only 400 is left, so it must fail, book
        // nothing and leave the balances and amount_refunded where the first refund put them.
        CreatePayment payment = pay(ALICE, BOB, 1_000);
        completedRefund(harness.refund(MERCHANT, payment, 600L), 600);

        List<PaymentEvent> events = events(harness.refund(MERCHANT, payment, 500L));

        assertFailedRefund(events, DeclineCode.REFUND_EXCEEDS_PAYMENT, 500);
        assertThat(events.get(1).payment().amountRefunded()).isEqualTo(600);
        assertThat(events.get(1).payment().status()).isEqualTo(PaymentStatus.PARTIALLY_REFUNDED);
        assertThat(harness.refundable(payment.paymentId()).orElseThrow().remaining()).isEqualTo(400);
        assertBalancesMatchOracle();
    }

    @Test
    void refundablePaymentIsKeptThroughTheRefundWindowAndADayAndThenPurged() {
        // Plan: a payment completes; payments after the refund window (stream time moves with them)
        // must leave its entry alone until the window and a day have passed, and a purge after that
        // must delete it, while a recent payment's entry stays: the store stays bounded by the window.
        CreatePayment old = pay(ALICE, BOB, 100);
        harness.advance(Refund.WINDOW);
        CreatePayment withinWindow = pay(ALICE, BOB, 100);
        assertThat(harness.refundable(old.paymentId())).isPresent();

        harness.advance(Duration.ofDays(1));
        CreatePayment recent = pay(ALICE, BOB, 100);
        harness.advance(RefundablePayments.PURGE_INTERVAL);
        pay(ALICE, BOB, 100);

        assertThat(harness.refundable(old.paymentId())).isEmpty();
        assertThat(harness.refundable(withinWindow.paymentId())).isPresent();
        assertThat(harness.refundable(recent.paymentId())).isPresent();
    }

    @Test
    void refundOfTheRestOfAFullyRefundedPaymentFailsWithNothingLeft() {
        CreatePayment payment = pay(ALICE, BOB, 1_000);
        completedRefund(harness.refund(MERCHANT, payment, null), 1_000);

        List<PaymentEvent> events = events(harness.refund(MERCHANT, payment, null));

        assertFailedRefund(events, DeclineCode.REFUND_EXCEEDS_PAYMENT, 0);
        assertThat(events.get(1).payment().status()).isEqualTo(PaymentStatus.REFUNDED);
        assertBalancesMatchOracle();
    }

    @Test
    void refundBeyondTheDestinationsBalanceFailsWithInsufficientFunds() {
        // Plan: pay 1,000 Alice -> Bob, Bob pays 800 on to Carol, so Bob holds 200; a refund of 500 must
        // fail insufficient_funds and leave every balance alone, and a refund of 200 must still complete.
        CreatePayment payment = pay(ALICE, BOB, 1_000);
        pay(BOB, CAROL, 800);

        assertFailedRefund(events(harness.refund(MERCHANT, payment, 500L)), DeclineCode.INSUFFICIENT_FUNDS, 500);
        assertBalancesMatchOracle();
        completedRefund(harness.refund(MERCHANT, payment, 200L), 200);
        assertBalancesMatchOracle();
    }

    @Test
    void refundOfAFailedPaymentPublishesNothingAndMovesNoMoney() {
        // Plan: a payment declined for insufficient funds was never refundable; a refund of it must not
        // publish any event (the payment's sequence is not this task's) nor touch a balance.
        CreatePayment declined = harness.pay(MERCHANT, ALICE, BOB, 50_000, "usd");
        assertThat(TopologyHarness.lifecycle(harness.paymentEvents())).containsExactly("1 PaymentFailed");

        harness.refund(MERCHANT, declined, 100L);

        assertThat(harness.paymentEvents()).isEmpty();
        assertThat(harness.refundable(declined.paymentId())).isEmpty();
        assertBalancesMatchOracle();
    }

    @Test
    void refundOfAnUnknownOrAnotherMerchantsPaymentPublishesNothing() {
        CreatePayment payment = pay(ALICE, BOB, 1_000);
        CreatePayment unknown = new CreatePayment("pay_unknown", MERCHANT, "k", payment.kind(), 1_000, "usd", ALICE,
                BOB, null, Map.of(), Instant.EPOCH, null);

        harness.refund(MERCHANT, unknown, 100L);
        harness.refund(OTHER_MERCHANT, payment, 100L);

        assertThat(harness.paymentEvents()).isEmpty();
        assertThat(harness.refundable(payment.paymentId()).orElseThrow().remaining()).isEqualTo(1_000);
        assertBalancesMatchOracle();
    }

    @Test
    void depositsAreNotRefundable() {
        CreatePayment deposit = harness.deposit(MERCHANT, BOB, 700, "usd");
        oracle.merge(BOB, 700L, Long::sum);
        harness.paymentEvents();

        harness.refund(MERCHANT, deposit, 100L);

        assertThat(harness.paymentEvents()).isEmpty();
        assertBalancesMatchOracle();
    }

    @Test
    void aRepeatedRefundCommandIsExecutedOnce() {
        // Plan: the same CreateRefund twice (an API retry after a lost answer): the dedupe stage must
        // answer the second on payments.replays with the refund's id, and only one refund moves money.
        CreatePayment payment = pay(ALICE, BOB, 1_000);
        CreateRefund refund = harness.refund(MERCHANT, payment, 250L);
        completedRefund(refund, 250);

        harness.send(refund, refund.requestedAt().plusSeconds(1));

        assertThat(harness.paymentEvents()).isEmpty();
        assertThat(harness.replays()).singleElement()
                .satisfies(replay -> assertThat(replay.value().originalId()).isEqualTo(refund.refundId()));
        assertBalancesMatchOracle();
    }

    @Test
    void everyPaymentsEventsAreNumberedFromOneWithoutGapsAcrossItsRefunds() {
        // Plan: three payments whose refunds interleave, with completions and failures mixed; two are
        // decided at once (their outcome is event 1), one takes the long way (PaymentInitiated 1, outcome
        // 2). Per payment id the sequences must be exactly 1..n in publication order, the types must follow
        // the lifecycle, and every event id must be distinct.
        CreatePayment one = harness.pay(MERCHANT, ALICE, BOB, 1_000, "usd");
        CreatePayment two = harness.pay(MERCHANT, ALICE, CAROL, 500, "usd");
        harness.forgetInAccountDirectory(CAROL);
        CreatePayment longWay = harness.pay(MERCHANT, ALICE, CAROL, 300, "usd");
        harness.refund(MERCHANT, one, 100L);
        harness.refund(MERCHANT, two, 600L);
        harness.refund(MERCHANT, longWay, 100L);
        harness.refund(MERCHANT, two, 500L);
        harness.refund(MERCHANT, one, null);
        harness.refund(MERCHANT, one, 1L);

        List<TestRecord<String, PaymentEvent>> events = harness.paymentEvents();
        Map<String, List<TestRecord<String, PaymentEvent>>> byPayment = events.stream().collect(
                Collectors.groupingBy(TestRecord::key, LinkedHashMap::new, Collectors.toList()));

        assertThat(byPayment).containsOnlyKeys(one.paymentId(), two.paymentId(), longWay.paymentId());
        assertThat(TopologyHarness.lifecycle(byPayment.get(one.paymentId()))).containsExactly(
                "1 PaymentCompleted", "2 RefundRequested", "3 RefundCompleted", "4 RefundRequested",
                "5 RefundCompleted", "6 RefundRequested", "7 RefundFailed");
        assertThat(TopologyHarness.lifecycle(byPayment.get(two.paymentId()))).containsExactly(
                "1 PaymentCompleted", "2 RefundRequested", "3 RefundFailed", "4 RefundRequested", "5 RefundCompleted");
        assertThat(TopologyHarness.lifecycle(byPayment.get(longWay.paymentId()))).containsExactly(
                "1 PaymentInitiated", "2 PaymentCompleted", "3 RefundRequested", "4 RefundCompleted");
        assertThat(events).extracting(record -> record.value().eventId()).doesNotHaveDuplicates();
        assertThat(events).allSatisfy(record -> assertThat(record.value().paymentId()).isEqualTo(record.key()));
    }

    @Test
    void refundsOfAPaymentCompletedByThePreviousReleaseNumberOnFromItsCompletionAtTwo() {
        // Plan: the previous release completed a payment Alice -> Bob at sequence 2 (after its
        // PaymentInitiated) and sent Bob's CompletedCredit without a sequence; an upgrade finds that
        // credit on ledger-credits. Alice's debit committed before the upgrade, in state this test does
        // not replay, so only Bob moves. Refunds of the payment must then be numbered 3 and 4, not 2 and 3.
        Instant created = harness.advance(Duration.ofSeconds(1));
        CreatePayment payment = new CreatePayment(Ids.next(Ids.PAYMENT, created), MERCHANT, "old-key-1",
                PaymentKind.PAYMENT, 1_000, "usd", ALICE, BOB, "test", Map.of(), created, null);
        harness.pipeLegJson(KassaTopology.LEDGER_CREDITS, BOB, PreviousReleaseLegs.completedCredit(payment.paymentId(),
                payment.idempotencyKey(), ALICE, BOB, payment.amount(), created), created);
        oracle.merge(BOB, 1_000L, Long::sum);
        assertThat(harness.paymentEvents()).as("the credit publishes nothing").isEmpty();
        assertThat(harness.refundable(payment.paymentId())).hasValueSatisfying(
                refundable -> assertThat(refundable.nextSequence()).isEqualTo(3));

        List<PaymentEvent> events = completedRefund(harness.refund(MERCHANT, payment, 400L), 400);

        assertThat(events).extracting(PaymentEvent::sequence).containsExactly(3L, 4L);
        assertBalancesMatchOracle();
    }

    /** A payment decided at once, whose one event is its completion: its refunds number on from 2. */
    private CreatePayment pay(String source, String destination, long amount) {
        CreatePayment payment = harness.pay(MERCHANT, source, destination, amount, "usd");
        assertThat(TopologyHarness.lifecycle(harness.paymentEvents())).containsExactly("1 PaymentCompleted");
        oracle.merge(source, -amount, Long::sum);
        oracle.merge(destination, amount, Long::sum);
        return payment;
    }

    /** The events {@code refund} published, all keyed by its payment id. */
    private List<PaymentEvent> events(CreateRefund refund) {
        List<TestRecord<String, PaymentEvent>> records = harness.paymentEvents();
        assertThat(records).allSatisfy(record -> assertThat(record.key()).isEqualTo(refund.paymentId()));
        List<PaymentEvent> events = records.stream().map(TestRecord::value).toList();
        assertThat(events).allSatisfy(event -> assertThat(event.refund().id()).isEqualTo(refund.refundId()));
        return events;
    }

    /** Asserts {@code refund} completed for {@code amount}, moving it destination -> source in the oracle. */
    private List<PaymentEvent> completedRefund(CreateRefund refund, long amount) {
        List<PaymentEvent> events = events(refund);
        assertThat(events).extracting(PaymentEvent::type)
                .containsExactly(PaymentEventType.RefundRequested, PaymentEventType.RefundCompleted);
        PaymentEvent completed = events.get(1);
        assertThat(completed.refund().status()).isEqualTo(RefundStatus.COMPLETED);
        assertThat(completed.refund().amount()).isEqualTo(amount);
        String source = completed.payment().source();
        String destination = completed.payment().destination();
        assertThat(completed.entries()).containsExactly(new LedgerEntry(destination, -amount, "usd"),
                new LedgerEntry(source, amount, "usd"));
        assertThat(events.get(0).entries()).isEmpty();
        oracle.merge(destination, -amount, Long::sum);
        oracle.merge(source, amount, Long::sum);
        return events;
    }

    private static void assertFailedRefund(List<PaymentEvent> events, DeclineCode code, long amount) {
        assertThat(events).extracting(PaymentEvent::type)
                .containsExactly(PaymentEventType.RefundRequested, PaymentEventType.RefundFailed);
        assertThat(events.get(1).refund().status()).isEqualTo(RefundStatus.FAILED);
        assertThat(events.get(1).refund().failureCode()).isEqualTo(code);
        assertThat(events.get(1).refund().amount()).isEqualTo(amount);
        assertThat(events).allSatisfy(event -> assertThat(event.entries()).isEmpty());
    }

    private void assertBalancesMatchOracle() {
        assertThat(harness.balances(ALICE, BOB, CAROL)).isEqualTo(oracle);
    }
}
