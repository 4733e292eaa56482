package dev.kassa.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kassa.model.CreatePayment;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentKind;
import dev.kassa.topology.authorize.Leg;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The legs' JSON across the upgrade that stopped publishing {@code PaymentInitiated} for payments
 * decided at once: what the previous release wrote must read as what it meant.
 */
class LegSerdeTest {

    private static final Instant CREATED = Instant.parse("2026-03-02T09:00:05Z");

    /** Written out from the previous release's serde, byte for byte. */
    private static final String PREVIOUS_RELEASE_DEBIT = """
            {"op":"Debit","payment":{"id":"pay_x","merchantId":"mer_alpha","idempotencyKey":"key-9",\
            "requestFingerprint":null,"kind":"payment","status":"pending","amount":300,"currency":"usd",\
            "source":"acct_alice","destination":"acct_bob","amountRefunded":0,"description":"test",\
            "metadata":{},"fraud":{"score":0,"decision":"allow","reasons":[]},"failureCode":null,\
            "created":"2026-03-02T09:00:05Z"}}""";

    @Test
    void previousReleaseLegsAreTheJsonThatReleaseWrote() {
        assertThat(PreviousReleaseLegs.debit("pay_x", "key-9", "acct_alice", "acct_bob", 300, CREATED))
                .isEqualTo(PREVIOUS_RELEASE_DEBIT);
        assertThat(PreviousReleaseLegs.completedCredit("pay_x", "key-9", "acct_alice", "acct_bob", 300, CREATED))
                .isEqualTo(PREVIOUS_RELEASE_DEBIT.replace("\"op\":\"Debit\"", "\"op\":\"CompletedCredit\"")
                        .replace("\"status\":\"pending\"", "\"status\":\"completed\""));
    }

    @Test
    void debitWithoutInitiatedPublishedWasWrittenAfterPaymentInitiated() {
        assertThat(read(PREVIOUS_RELEASE_DEBIT)).isInstanceOfSatisfying(Leg.Debit.class, debit -> {
            assertThat(debit.initiatedPublished()).isTrue();
            assertThat(debit.payment()).isEqualTo(payment(PaymentKind.PAYMENT, "acct_alice"));
        });
    }

    @Test
    void creditWithoutInitiatedPublishedWasWrittenAfterPaymentInitiated() {
        String json = PreviousReleaseLegs.depositCredit("pay_x", "key-9", "acct_bob", 300, CREATED);

        assertThat(read(json)).isInstanceOfSatisfying(Leg.Credit.class,
                credit -> assertThat(credit.initiatedPublished()).isTrue());
    }

    @Test
    void depositCreditOfAnEarlierReleaseDebitedNobody() {
        // Before the treasury task, a deposit started at its credit: a refused one must fail, not reverse.
        String json = PreviousReleaseLegs.depositCredit("pay_x", "key-9", "acct_bob", 300, CREATED);

        assertThat(read(json)).isInstanceOfSatisfying(Leg.Credit.class,
                credit -> assertThat(credit.sourceDebited()).isFalse());
        // The release right before the treasury wrote initiatedPublished false, and no sourceDebited either.
        String lastRelease = json.substring(0, json.length() - 1) + ",\"initiatedPublished\":false}";
        assertThat(read(lastRelease)).isInstanceOfSatisfying(Leg.Credit.class, credit -> {
            assertThat(credit.sourceDebited()).isFalse();
            assertThat(credit.initiatedPublished()).isFalse();
        });
    }

    @Test
    void completedCreditWithoutSequenceFollowsAPaymentCompletedAtTwo() {
        String json = PreviousReleaseLegs.completedCredit("pay_x", "key-9", "acct_alice", "acct_bob", 300, CREATED);

        assertThat(read(json)).isInstanceOfSatisfying(Leg.CompletedCredit.class, credit -> {
            assertThat(credit.sequence()).isEqualTo(2);
            assertThat(credit.payment()).isEqualTo(payment(PaymentKind.PAYMENT, "acct_alice").completed());
        });
    }

    @Test
    void legsOfThisReleaseKeepWhatTheySayThroughTheSerde() {
        Payment payment = payment(PaymentKind.PAYMENT, "acct_alice");
        Payment deposit = payment(PaymentKind.DEPOSIT, "acct_external_usd");
        for (Leg leg : new Leg[] {new Leg.Debit(payment, false), new Leg.Debit(payment, true),
                new Leg.Credit(payment, true, true), new Leg.Credit(deposit, false, false),
                new Leg.Credit(deposit, true, false), new Leg.Credit(deposit, true, true),
                new Leg.CompletedCredit(payment.completed(), 1), new Leg.CompletedCredit(payment.completed(), 2)}) {
            assertThat(Leg.SERDE.fromBytes(Leg.SERDE.toBytes(leg))).isEqualTo(leg);
        }
    }

    @Test
    void aPaymentsCreditAlwaysFollowsItsPaymentInitiated() {
        // Only the long way credits a payment, and the long way publishes PaymentInitiated at the debit.
        assertThatThrownBy(() -> new Leg.Credit(payment(PaymentKind.PAYMENT, "acct_alice"), false, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pay_x");
    }

    private static Leg read(String json) {
        return Leg.SERDE.fromBytes(json.getBytes(StandardCharsets.UTF_8));
    }

    private static Payment payment(PaymentKind kind, String source) {
        return Payment.pending(new CreatePayment("pay_x", "mer_alpha", "key-9", kind, 300, "usd", source, "acct_bob",
                "test", Map.of(), CREATED, null));
    }
}
