package dev.kassa.processor.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kassa.processor.Charge;
import dev.kassa.processor.ChargeRequest;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every bad charge or refund input gets its 400 code and a message naming the field (docs/processor-sim.md);
 * good input is normalized; the token table maps each test card to its documented behaviour.
 */
class ChargeValidationTest {

    private static final String GOOD = "{\"amount\": 1250, \"currency\": \"usd\", \"card_token\": \"tok_visa\", \"reference\": \"pay_1\"}";

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"currency\": \"usd\", \"card_token\": \"tok_visa\", \"reference\": \"pay_1\"}|parameter_missing|amount",
            "{\"amount\": \"1250\", \"currency\": \"usd\", \"card_token\": \"tok_visa\", \"reference\": \"pay_1\"}|parameter_invalid|amount",
            "{\"amount\": 12.5, \"currency\": \"usd\", \"card_token\": \"tok_visa\", \"reference\": \"pay_1\"}|parameter_invalid|amount",
            "{\"amount\": 49, \"currency\": \"usd\", \"card_token\": \"tok_visa\", \"reference\": \"pay_1\"}|amount_out_of_range|amount",
            "{\"amount\": 100000000, \"currency\": \"usd\", \"card_token\": \"tok_visa\", \"reference\": \"pay_1\"}|amount_out_of_range|amount",
            "{\"amount\": -5, \"currency\": \"usd\", \"card_token\": \"tok_visa\", \"reference\": \"pay_1\"}|amount_out_of_range|amount",
            "{\"amount\": 99999999999999999999, \"currency\": \"usd\", \"card_token\": \"tok_visa\", \"reference\": \"pay_1\"}|parameter_invalid|amount",
            "{\"amount\": 1250, \"card_token\": \"tok_visa\", \"reference\": \"pay_1\"}|parameter_missing|currency",
            "{\"amount\": 1250, \"currency\": 840, \"card_token\": \"tok_visa\", \"reference\": \"pay_1\"}|parameter_invalid|currency",
            "{\"amount\": 1250, \"currency\": \"usx\", \"card_token\": \"tok_visa\", \"reference\": \"pay_1\"}|parameter_invalid|currency",
            "{\"amount\": 1250, \"currency\": \"jpy\", \"card_token\": \"tok_visa\", \"reference\": \"pay_1\"}|currency_not_supported|currency",
            "{\"amount\": 1250, \"currency\": \"usd\", \"reference\": \"pay_1\"}|parameter_missing|card_token",
            "{\"amount\": 1250, \"currency\": \"usd\", \"card_token\": \"4242424242424242\", \"reference\": \"pay_1\"}|parameter_invalid|card_token",
            "{\"amount\": 1250, \"currency\": \"usd\", \"card_token\": \"tok_amex\", \"reference\": \"pay_1\"}|unknown_card_token|card_token",
            "{\"amount\": 1250, \"currency\": \"usd\", \"card_token\": \"tok_visa\"}|parameter_missing|reference",
            "{\"amount\": 1250, \"currency\": \"usd\", \"card_token\": \"tok_visa\", \"reference\": \"\"}|parameter_invalid|reference",
            "{\"amount\": 1250, \"currency\": \"usd\", \"card_token\": \"tok_visa\", \"reference\": \"pay 1,2\"}|parameter_invalid|reference",
            "{\"amount\": 1250, \"currency\": \"usd\", \"card_token\": \"tok_visa\", \"reference\": null}|parameter_missing|reference",
            "{\"amount\": 1250, \"currency\": \"usd\", \"card_token\": \"tok_visa\", \"reference\": \"pay_1\", \"cvc\": \"123\"}|unknown_field|cvc",
            "{\"amount\": 1250,|invalid_json|JSON",
            "[1250]|invalid_json|JSON object",
            "''|invalid_json|JSON"
    })
    void badChargeIsRefusedWithItsCodeNamingTheField(String body, String code, String field) {
        assertThatThrownBy(() -> ChargeValidation.charge(body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(SandboxException.class, error -> {
                    assertThat(error.status()).isEqualTo(400);
                    assertThat(error.code()).isEqualTo(code);
                    assertThat(error.getMessage()).contains(field);
                });
    }

    @Test
    void goodChargeIsReadWithItsCurrencyInLowerCase() {
        ChargeRequest request = ChargeValidation.charge(GOOD.replace("usd", "EUR").getBytes(StandardCharsets.UTF_8));

        assertThat(request).isEqualTo(new ChargeRequest(1_250, "eur", "tok_visa", "pay_1"));
    }

    @Test
    void missingOrBlankIdempotencyKeyIsRefusedNamingTheHeader() {
        for (String header : new String[] {null, "", "  "}) {
            assertThatThrownBy(() -> ChargeValidation.idempotencyKey(header))
                    .isInstanceOfSatisfying(SandboxException.class, error -> {
                        assertThat(error.code()).isEqualTo("idempotency_key_missing");
                        assertThat(error.getMessage()).contains("Idempotency-Key");
                    });
        }
        assertThatThrownBy(() -> ChargeValidation.idempotencyKey("k".repeat(256)))
                .isInstanceOfSatisfying(SandboxException.class, error -> assertThat(error.code()).isEqualTo("parameter_invalid"));
        assertThat(ChargeValidation.idempotencyKey("k".repeat(255))).hasSize(255);
    }

    @Test
    void refundAmountIsOptionalAndFromOneMinorUnit() {
        assertThat(ChargeValidation.refundAmount(new byte[0])).isEqualTo(OptionalLong.empty());
        assertThat(ChargeValidation.refundAmount("{}".getBytes(StandardCharsets.UTF_8))).isEqualTo(OptionalLong.empty());
        assertThat(ChargeValidation.refundAmount("{\"amount\": 1}".getBytes(StandardCharsets.UTF_8))).isEqualTo(OptionalLong.of(1));
        for (String body : new String[] {"{\"amount\": 0}", "{\"amount\": -1}", "{\"amount\": 100000000}"}) {
            assertThatThrownBy(() -> ChargeValidation.refundAmount(body.getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOfSatisfying(SandboxException.class, error -> {
                        assertThat(error.code()).isEqualTo("amount_out_of_range");
                        assertThat(error.getMessage()).contains("amount");
                    });
        }
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
            "tok_visa|SUCCEEDED|none",
            "tok_mastercard|SUCCEEDED|none",
            "tok_chargeDeclined|DECLINED|CARD_DECLINED",
            "tok_insufficientFunds|DECLINED|INSUFFICIENT_FUNDS",
            "tok_expired|DECLINED|EXPIRED_CARD",
            "tok_review|REVIEW|none"
    })
    void testCardsBehaveAsDocumented(String token, Charge.Status status, Charge.DeclineCode declineCode) {
        assertThat(TestCards.behaviour(token)).contains(new TestCards.Behaviour(status, declineCode));
    }

    @Test
    void otherTokensAreNotTestCards() {
        assertThat(TestCards.behaviour("tok_amex")).isEmpty();
        assertThat(TestCards.behaviour("TOK_VISA")).isEmpty();
    }
}
