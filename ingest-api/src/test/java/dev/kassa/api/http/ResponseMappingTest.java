package dev.kassa.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kassa.api.accounts.AccountOpening;
import dev.kassa.api.accounts.AccountView;
import dev.kassa.api.auth.Merchant;
import dev.kassa.api.error.ApiException;
import dev.kassa.api.error.ErrorCode;
import dev.kassa.api.error.PaymentDeclinedException;
import dev.kassa.api.merchants.MerchantCreation;
import dev.kassa.api.payments.PaymentPage;
import dev.kassa.model.CreatePayment;
import dev.kassa.model.DeclineCode;
import dev.kassa.model.Ids;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentKind;
import dev.kassa.model.Refund;
import dev.kassa.model.RefundStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Outcomes become docs/api.md's statuses and shapes: 201 completed, 202 pending, 402 declined with the payment. */
class ResponseMappingTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant CREATED = Instant.parse("2026-11-25T08:00:00Z");

    private static Payment pending() {
        return Payment.pending(new CreatePayment(Ids.next(Ids.PAYMENT, CREATED), "mer_1", "key", PaymentKind.PAYMENT,
                1250, "usd", Ids.next(Ids.ACCOUNT, CREATED), Ids.next(Ids.ACCOUNT, CREATED), null, Map.of(), CREATED, null));
    }

    private static JsonNode body(ApiResponse response) throws Exception {
        return MAPPER.readTree(response.body());
    }

    @Test
    void completedPaymentIsCreated() throws Exception {
        ApiResponse response = PaymentRoutes.outcome(pending().completed());

        assertThat(response.status()).isEqualTo(201);
        assertThat(body(response).get("status").asText()).isEqualTo("completed");
    }

    @Test
    void paymentWithoutOutcomeIsAcceptedAsPending() throws Exception {
        ApiResponse response = PaymentRoutes.outcome(pending());

        assertThat(response.status()).isEqualTo(202);
        assertThat(body(response).get("status").asText()).isEqualTo("pending");
    }

    @Test
    void declinedPaymentIsAPaymentErrorCarryingThePayment() throws Exception {
        Payment failed = pending().failed(DeclineCode.INSUFFICIENT_FUNDS);

        PaymentDeclinedException declined = catchThrowableOfType(PaymentDeclinedException.class,
                () -> PaymentRoutes.outcome(failed));
        ApiResponse response = ErrorMapper.render(declined);

        assertThat(response.status()).isEqualTo(402);
        JsonNode error = body(response).get("error");
        assertThat(error.get("type").asText()).isEqualTo("payment_error");
        assertThat(error.get("code").asText()).isEqualTo("insufficient_funds");
        assertThat(error.get("message").asText()).isEqualTo(DeclineCode.INSUFFICIENT_FUNDS.message());
        assertThat(error.has("param")).isFalse();
        assertThat(error.get("payment").get("id").asText()).isEqualTo(failed.id());
        assertThat(error.get("payment").get("status").asText()).isEqualTo("failed");
        assertThat(error.get("payment").get("failure_code").asText()).isEqualTo("insufficient_funds");
    }

    @Test
    void everyDeclineCodeOfTheContractIsItsWireName() {
        assertThat(List.of(DeclineCode.values())).extracting(DeclineCode::code).containsExactlyInAnyOrder(
                "insufficient_funds", "fraud_blocked", "account_not_found", "currency_mismatch",
                "refund_exceeds_payment", "deposit_limit_exceeded", "daily_deposit_limit_exceeded",
                "supply_limit_exceeded", "card_declined", "expired_card", "processor_rejected");
    }

    @Test
    void declinedRefundIsA402PaymentErrorCarryingTheFailedRefund() throws Exception {
        Refund failed = new Refund("re_0123456789abcdef0123456789abcdef", "pay_0123456789abcdef0123456789abcdef",
                "mer_1", "key-1", null, 150, "usd", RefundStatus.FAILED, DeclineCode.REFUND_EXCEEDS_PAYMENT,
                Instant.parse("2026-11-25T08:00:00.123Z"));

        ApiException declined = catchThrowableOfType(
                () -> RefundRoutes.outcome(failed), ApiException.class);
        ApiResponse response = ErrorMapper.render(declined);

        assertThat(response.status()).isEqualTo(402);
        JsonNode error = body(response).get("error");
        assertThat(error.get("type").asText()).isEqualTo("payment_error");
        assertThat(error.get("code").asText()).isEqualTo("refund_exceeds_payment");
        assertThat(error.get("refund").get("id").asText()).isEqualTo(failed.id());
        assertThat(error.get("refund").get("object").asText()).isEqualTo("refund");
        assertThat(error.get("refund").get("amount").asLong()).isEqualTo(150);
        assertThat(error.get("refund").get("status").asText()).isEqualTo("failed");
        assertThat(error.get("refund").get("failure_code").asText()).isEqualTo("refund_exceeds_payment");
        assertThat(error.get("refund").get("created").asText()).isEqualTo("2026-11-25T08:00:00Z");
    }

    @Test
    void completedRefundIs201AndPendingRefundOfTheRestIs202WithoutAnAmountYet() throws Exception {
        Refund pending = new Refund("re_0123456789abcdef0123456789abcdef", "pay_0123456789abcdef0123456789abcdef",
                "mer_1", "key-1", null, 0, "usd", RefundStatus.PENDING, null, Instant.EPOCH);
        Refund completed = new Refund(pending.id(), pending.paymentId(), "mer_1", "key-1", null, 400, "usd",
                RefundStatus.COMPLETED, null, Instant.EPOCH);

        assertThat(RefundRoutes.outcome(completed).status()).isEqualTo(201);
        assertThat(body(RefundRoutes.outcome(completed)).get("amount").asLong()).isEqualTo(400);
        assertThat(RefundRoutes.outcome(pending).status()).isEqualTo(202);
        assertThat(body(RefundRoutes.outcome(pending)).get("amount").isNull()).isTrue();
    }

    @Test
    void errorWithParamHasTheOneErrorShape() throws Exception {
        ApiResponse response = ErrorMapper.render(new ApiException(ErrorCode.AMOUNT_INVALID, "amount must be positive", "amount"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(body(response)).isEqualTo(MAPPER.readTree("""
                {"error": {"type": "invalid_request_error", "code": "amount_invalid",
                           "message": "amount must be positive", "param": "amount"}}"""));
    }

    @Test
    void accountIsCreatedOnceConfirmedAndAcceptedWhilePending() throws Exception {
        AccountView account = new AccountView("acct_1", "mer_1", "usd", 0, CREATED);

        ApiResponse confirmed = AccountRoutes.opened(new AccountOpening(account, true));
        ApiResponse pending = AccountRoutes.opened(new AccountOpening(account, false));

        assertThat(confirmed.status()).isEqualTo(201);
        assertThat(pending.status()).isEqualTo(202);
        assertThat(body(confirmed)).isEqualTo(MAPPER.readTree("""
                {"id": "acct_1", "object": "account", "currency": "usd", "balance": 0, "created": "2026-11-25T08:00:00Z"}"""));
    }

    @Test
    void merchantShowsItsSecretKeyOnce() throws Exception {
        Merchant merchant = new Merchant("mer_1", "Acme", "acct_1", CREATED);

        ApiResponse response = AdminRoutes.created(new MerchantCreation(merchant, "sk_secret", true));

        assertThat(response.status()).isEqualTo(201);
        assertThat(body(response)).isEqualTo(MAPPER.readTree("""
                {"id": "mer_1", "object": "merchant", "name": "Acme", "secret_key": "sk_secret",
                 "account": "acct_1", "created": "2026-11-25T08:00:00Z"}"""));
        assertThat(new MerchantCreation(merchant, "sk_secret", true).toString()).doesNotContain("sk_secret");
    }

    @Test
    void listHasTheListShape() throws Exception {
        Payment payment = pending().completed();

        JsonNode json = PaymentRoutes.listJson(new PaymentPage(List.of(payment), true));

        assertThat(json.get("object").asText()).isEqualTo("list");
        assertThat(json.get("has_more").asBoolean()).isTrue();
        assertThat(json.get("data").get(0).get("id").asText()).isEqualTo(payment.id());
    }
}
