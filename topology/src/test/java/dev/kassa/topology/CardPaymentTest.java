package dev.kassa.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.model.CardCharge;
import dev.kassa.model.CardChargeResult;
import dev.kassa.model.CreatePayment;
import dev.kassa.model.DeclineCode;
import dev.kassa.model.Ids;
import dev.kassa.model.LedgerEntry;
import dev.kassa.model.PaymentEvent;
import dev.kassa.model.PaymentStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Card payments in the topology (docs/architecture.md, Card payments): the command is kept
 * {@code processing} and a charge asked on {@code card.charges}; the processor's first answer,
 * published back on {@code card.results}, books or fails the payment once, and any repeat of it books
 * nothing. Balances are compared with an oracle written by hand.
 */
class CardPaymentTest {

    private static final String MERCHANT = "mer_alpha";
    private static final String OTHER_MERCHANT = "mer_beta";
    private static final String SHOP = "acct_shop";
    private static final String MALLORY = "acct_mallory";
    private static final String CLEARING = Ids.cardClearingAccount("usd");

    @TempDir
    Path stateDir;

    private TopologyHarness harness;

    @BeforeEach
    void openAccounts() {
        harness = new TopologyHarness(stateDir);
        harness.openAccount(MERCHANT, SHOP, "usd");
        harness.openAccount(OTHER_MERCHANT, MALLORY, "usd");
        harness.accountEvents();
        harness.drainLegs();
    }

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void cardPaymentIsProcessingUntilChargedThenCreditsTheMerchantOnceWhateverAnswersRepeat() {
        // Plan: a card payment, then the processor's success delivered three times (a connector that
        // crashed after publishing may publish it again). One PaymentInitiated (processing), one charge
        // asked with the payment id as its key, one PaymentCompleted with clearing -1250 / shop +1250.
        CreatePayment card = harness.card(MERCHANT, SHOP, 1_250, "usd", "tok_visa");

        List<TestRecord<String, PaymentEvent>> asked = harness.paymentEvents();
        assertThat(TopologyHarness.lifecycle(asked)).containsExactly("1 PaymentInitiated");
        assertThat(asked.get(0).value().payment().status()).isEqualTo(PaymentStatus.PENDING);
        List<TestRecord<String, CardCharge>> charges = harness.cardCharges();
        assertThat(charges).hasSize(1);
        CardCharge charge = charges.get(0).value();
        assertThat(charges.get(0).key()).isEqualTo(card.paymentId());
        assertThat(charge.idempotencyKey()).isEqualTo(card.paymentId());
        assertThat(charge.cardToken()).isEqualTo("tok_visa");
        assertThat(charge.amount()).isEqualTo(1_250);
        assertThat(harness.balances(SHOP)).isEqualTo(Map.of(SHOP, 0L));

        for (int delivery = 0; delivery < 3; delivery++) {
            harness.cardResult(CardChargeResult.succeeded(charge, "ch_1"));
        }

        List<TestRecord<String, PaymentEvent>> outcome = harness.paymentEvents();
        assertThat(TopologyHarness.lifecycle(outcome)).containsExactly("2 PaymentCompleted");
        assertThat(outcome.get(0).value().entries()).containsExactly(
                new LedgerEntry(CLEARING, -1_250, "usd"), new LedgerEntry(SHOP, 1_250, "usd"));
        harness.drainLegs();
        assertThat(harness.balances(SHOP, CLEARING)).isEqualTo(Map.of(SHOP, 1_250L, CLEARING, -1_250L));
        assertThat(harness.cardCharges()).isEmpty();
    }

    @Test
    void declinedCardFailsThePaymentWithTheProcessorsReasonAndMovesNoMoney() {
        CreatePayment card = harness.card(MERCHANT, SHOP, 900, "usd", "tok_chargeDeclined");
        harness.paymentEvents();
        CardCharge charge = harness.cardCharges().get(0).value();

        harness.cardResult(CardChargeResult.declined(charge, DeclineCode.CARD_DECLINED));
        harness.cardResult(CardChargeResult.succeeded(charge, "ch_late"));

        List<TestRecord<String, PaymentEvent>> outcome = harness.paymentEvents();
        assertThat(TopologyHarness.lifecycle(outcome)).containsExactly("2 PaymentFailed");
        assertThat(outcome.get(0).value().payment().failureCode()).isEqualTo(DeclineCode.CARD_DECLINED);
        assertThat(outcome.get(0).value().entries()).isEmpty();
        assertThat(outcome.get(0).key()).isEqualTo(card.paymentId());
        assertThat(harness.balances(SHOP, CLEARING)).isEqualTo(Map.of(SHOP, 0L));
    }

    @Test
    void retriedCardCommandAsksForOneCharge() {
        CreatePayment card = harness.card(MERCHANT, SHOP, 700, "usd", "tok_visa");
        harness.resend(card, card.routingKey());

        assertThat(harness.cardCharges()).hasSize(1);
        assertThat(harness.replays()).hasSize(1);
        assertThat(TopologyHarness.lifecycle(harness.paymentEvents())).containsExactly("1 PaymentInitiated");
    }

    @Test
    void cardPaymentToAnotherMerchantsAccountFailsBeforeAnyCardIsCharged() {
        harness.card(MERCHANT, MALLORY, 700, "usd", "tok_visa");

        List<TestRecord<String, PaymentEvent>> events = harness.paymentEvents();
        assertThat(TopologyHarness.lifecycle(events)).containsExactly("1 PaymentFailed");
        assertThat(events.get(0).value().payment().failureCode()).isEqualTo(DeclineCode.ACCOUNT_NOT_FOUND);
        assertThat(harness.cardCharges()).isEmpty();
    }

    @Test
    void refundOfACardPaymentIsAskedOfTheProcessorOnceWithItsChargeId() {
        // Plan: a card payment charged as ch_9, then a partial refund: booked at once (shop -400,
        // clearing +400) and asked of the processor with the refund id as its key, naming ch_9.
        CreatePayment card = harness.card(MERCHANT, SHOP, 1_000, "usd", "tok_visa");
        CardCharge charge = harness.cardCharges().get(0).value();
        harness.cardResult(CardChargeResult.succeeded(charge, "ch_9"));
        harness.paymentEvents();

        var refund = harness.refund(MERCHANT, card, 400L);

        assertThat(TopologyHarness.lifecycle(harness.paymentEvents()))
                .containsExactly("3 RefundRequested", "4 RefundCompleted");
        List<TestRecord<String, CardCharge>> refunds = harness.cardCharges();
        assertThat(refunds).hasSize(1);
        CardCharge asked = refunds.get(0).value();
        assertThat(asked.refundId()).isEqualTo(refund.refundId());
        assertThat(asked.idempotencyKey()).isEqualTo(refund.refundId());
        assertThat(asked.chargeId()).isEqualTo("ch_9");
        assertThat(asked.amount()).isEqualTo(400);
        assertThat(harness.balances(SHOP, CLEARING)).isEqualTo(Map.of(SHOP, 600L, CLEARING, -600L));
    }
}
