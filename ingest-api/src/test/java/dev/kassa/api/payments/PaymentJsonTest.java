package dev.kassa.api.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kassa.model.CreatePayment;
import dev.kassa.model.DeclineCode;
import dev.kassa.model.FraudAssessment;
import dev.kassa.model.Ids;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The payment and deposit objects have exactly the fields of docs/api.md, in its order, with its value formats. */
class PaymentJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant CREATED = Instant.parse("2026-11-25T08:00:00.123Z");
    private static final String PAYMENT_ID = Ids.next(Ids.PAYMENT, CREATED);
    private static final String SOURCE = Ids.next(Ids.ACCOUNT, CREATED);
    private static final String DESTINATION = Ids.next(Ids.ACCOUNT, CREATED);

    private static CreatePayment command(PaymentKind kind, String source) {
        return new CreatePayment(PAYMENT_ID, "mer_1", "key-1", kind, 1250, "usd", source, DESTINATION,
                "order 42", Map.of("order_id", "42"), CREATED, null);
    }

    @Test
    void completedPaymentRendersEveryFieldOfTheContract() throws Exception {
        Payment payment = Payment.pending(command(PaymentKind.PAYMENT, SOURCE))
                .withFraud(new FraudAssessment(12, FraudAssessment.Decision.ALLOW, List.of()))
                .completed();

        ObjectNode json = PaymentJson.render(payment);

        assertThat(json.properties()).extracting(Map.Entry::getKey).containsExactly("id", "object", "status", "amount",
                "currency", "source", "destination", "amount_refunded", "description", "metadata", "fraud",
                "failure_code", "created");
        JsonNode expected = MAPPER.readTree("""
                {"id": "%s", "object": "payment", "status": "completed", "amount": 1250, "currency": "usd",
                 "source": "%s", "destination": "%s", "amount_refunded": 0, "description": "order 42",
                 "metadata": {"order_id": "42"}, "fraud": {"score": 12, "decision": "allow", "reasons": []},
                 "failure_code": null, "created": "2026-11-25T08:00:00Z"}
                """.formatted(PAYMENT_ID, SOURCE, DESTINATION));
        assertThat(MAPPER.readTree(json.toString())).isEqualTo(expected);
    }

    @Test
    void declinedPaymentCarriesItsFailureCodeAndFraudReasons() {
        Payment payment = Payment.pending(command(PaymentKind.PAYMENT, SOURCE))
                .withFraud(new FraudAssessment(97, FraudAssessment.Decision.BLOCK, List.of("velocity: 12 payments in 1 minute")))
                .failed(DeclineCode.FRAUD_BLOCKED);

        ObjectNode json = PaymentJson.render(payment);

        assertThat(json.get("status").asText()).isEqualTo("failed");
        assertThat(json.get("failure_code").asText()).isEqualTo("fraud_blocked");
        assertThat(json.get("fraud").get("decision").asText()).isEqualTo("block");
        assertThat(json.get("fraud").get("reasons").get(0).asText()).isEqualTo("velocity: 12 payments in 1 minute");
    }

    @Test
    void pendingDepositIsAnObjectOfItsOwnKind() {
        Payment deposit = Payment.pending(new CreatePayment(PAYMENT_ID, "mer_1", "key-2", PaymentKind.DEPOSIT, 10_000,
                "usd", Ids.externalAccount("usd"), DESTINATION, null, Map.of(), CREATED, null));

        ObjectNode json = PaymentJson.render(deposit);

        assertThat(json.get("object").asText()).isEqualTo("deposit");
        assertThat(json.get("status").asText()).isEqualTo("pending");
        assertThat(json.get("source").asText()).isEqualTo("acct_external_usd");
        assertThat(json.get("description").isNull()).isTrue();
        assertThat(json.get("metadata").size()).isZero();
        assertThat(json.get("failure_code").isNull()).isTrue();
    }

    @Test
    void metadataRendersInKeyOrderSoEqualPaymentsRenderEqualBytes() {
        Payment payment = Payment.pending(new CreatePayment(PAYMENT_ID, "mer_1", "key-3", PaymentKind.PAYMENT, 1, "usd",
                SOURCE, DESTINATION, null, Map.of("b", "2", "a", "1", "c", "3"), CREATED, null));

        assertThat(PaymentJson.render(payment).get("metadata").toString()).isEqualTo("{\"a\":\"1\",\"b\":\"2\",\"c\":\"3\"}");
    }
}
