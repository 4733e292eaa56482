package dev.kassa.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kassa.app.connector.CardConnector;
import dev.kassa.app.e2e.ApiClient.Merchant;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The OpenAPI document against the real gateway: a merchant's whole journey — accounts, deposits,
 * payments completed and declined, replays, refunds, reads and lists — and the bad requests docs/api.md
 * names, each answer held against the document's description of that route and status (body schema,
 * required headers) by {@link OpenApiConformance}. A document that drifts from the server — a field
 * renamed, a status not listed, an error shape changed — fails here, where {@code OpenApiDocumentTest}
 * only checks that the document parses and names every route.
 */
@Tag("integration")
@ExtendWith(SharedGateway.class)
class OpenApiConformanceIT {

    private static final Duration SINK_WAIT = Duration.ofSeconds(30);
    /** Longer than the shared gateway's outcome wait (TestGateway, 5 s). */
    private static final Duration SLOWER_THAN_THE_API_WAITS = Duration.ofSeconds(8);
    private static final Duration CONNECTOR_BACKOFF = Duration.ofSeconds(1);

    private final TestGateway gateway;
    private final ApiClient api;
    private final OpenApiConformance document = OpenApiConformance.load();
    private final List<String> problems = new ArrayList<>();

    OpenApiConformanceIT(TestGateway gateway) {
        this.gateway = gateway;
        this.api = gateway.api();
    }

    @Test
    void everyAnswerOfAMerchantsJourneyIsWhatTheDocumentDescribes() {
        // Plan: walk the API as a merchant's integration would — open, fund, pay, be declined, retry,
        // refund, read — and collect every answer's disagreement with the document. Each step asserts
        // its status first, so a document that lists the wrong status for a working route is caught,
        // not a broken route.
        Merchant merchant = api.createMerchant("openapi conformance");
        ApiClient.Call opening = ApiClient.call("POST", "/v1/accounts").bearer(merchant.secretKey())
                .idempotencyKey(ApiClient.newIdempotencyKey())
                .json(ApiClient.JSON.createObjectNode().put("currency", "usd"));
        String customer = check("POST", "/v1/accounts", api.send(opening), 201).id();
        check("POST", "/v1/accounts", api.send(opening), 201);
        check("GET", "/v1/accounts/{id}", api.getAccount(merchant, customer), 200);
        check("POST", "/v1/accounts/{id}/deposits", api.deposit(merchant, customer, 10_000), 201);

        String key = ApiClient.newIdempotencyKey();
        ObjectNode paymentBody = ApiClient.paymentBody(1_250, "usd", customer, null);
        paymentBody.put("description", "order 42").putObject("metadata").put("order", "42");
        String paymentId = check("POST", "/v1/payments", api.pay(merchant, paymentBody, key), 201).id();
        ApiResponse replay = check("POST", "/v1/payments", api.pay(merchant, paymentBody, key), 201);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        check("POST", "/v1/payments", api.pay(merchant, ApiClient.paymentBody(1_000_000, "usd", customer, null)), 402);
        // A card payment answered before the processor: the sandbox holds its answers longer than the API
        // waits, so the API answers 202 processing. Then the sandbox answers again at once and the
        // connector's retry completes the payment: the gateway's ledger, shared with other test classes,
        // keeps no payment pending (kassa ledger verify's payment_settled).
        try (CardSandbox sandbox = CardSandbox.start();
             CardConnector connector = sandbox.connector(gateway.kafkaBootstrap(), CONNECTOR_BACKOFF, CardConnector.Hooks.NONE)) {
            sandbox.faults("{\"latency_ms\": " + SLOWER_THAN_THE_API_WAITS.toMillis() + "}");
            ObjectNode cardBody = ApiClient.JSON.createObjectNode().put("amount", 700).put("currency", "usd");
            cardBody.putObject("source").put("type", "card").put("token", "tok_visa");
            ApiResponse card = check("POST", "/v1/payments", api.pay(merchant, cardBody), 202);
            assertThat(card.body().path("status").asText()).isEqualTo("processing");
            sandbox.faults("{}");
            await().atMost(SINK_WAIT).untilAsserted(() -> assertThat(
                    api.getPayment(merchant, card.id()).body().path("status").asText()).isEqualTo("completed"));
        }

        String refundId = check("POST", "/v1/payments/{id}/refunds",
                api.refund(merchant, paymentId, 500L, ApiClient.newIdempotencyKey()), 201).id();
        check("POST", "/v1/payments/{id}/refunds",
                api.refund(merchant, paymentId, 10_000L, ApiClient.newIdempotencyKey()), 402);
        await().atMost(SINK_WAIT).untilAsserted(() ->
                assertThat(api.getRefund(merchant, refundId).status()).isEqualTo(200));
        check("GET", "/v1/refunds/{id}", api.getRefund(merchant, refundId), 200);
        check("GET", "/v1/payments/{id}/refunds", api.listRefunds(merchant, paymentId), 200);
        check("GET", "/v1/payments/{id}", api.getPayment(merchant, paymentId), 200);
        check("GET", "/v1/payments", api.listPayments(merchant, "limit=2"), 200);
        check("GET", "/openapi.json", api.send(ApiClient.call("GET", "/openapi.json")), 200);

        assertThat(problems).isEmpty();
    }

    @Test
    void everyRefusalIsTheErrorTheDocumentDescribes() {
        // Plan: the refusals a client meets first — no key, a bad field, an unknown field, a key reused
        // for another request, a missing resource, a wrong method, a body that is not JSON — each with
        // the status docs/api.md gives it, and the error object the document's schema requires.
        Merchant merchant = api.createMerchant("openapi refusals");
        String customer = api.openAccount(merchant, "usd");
        ObjectNode valid = ApiClient.paymentBody(100, "usd", customer, null);

        check("POST", "/v1/payments", api.send(ApiClient.call("POST", "/v1/payments")
                .idempotencyKey(ApiClient.newIdempotencyKey()).json(valid)), 401);
        check("POST", "/v1/payments", api.pay(merchant, valid.deepCopy().put("amount", -5)), 400);
        check("POST", "/v1/payments", api.pay(merchant, valid.deepCopy().put("colour", "red")), 400);
        check("POST", "/v1/payments", api.pay(merchant, valid.deepCopy().put("currency", "xyz")), 400);
        ObjectNode unknownCard = valid.deepCopy();
        unknownCard.putObject("source").put("type", "card").put("token", "tok_neverIssued");
        check("POST", "/v1/payments", api.pay(merchant, unknownCard), 400);
        check("POST", "/v1/payments", api.send(ApiClient.call("POST", "/v1/payments").bearer(merchant.secretKey())
                .json(valid)), 400);
        String key = ApiClient.newIdempotencyKey();
        api.pay(merchant, valid, key);
        check("POST", "/v1/payments", api.pay(merchant, valid.deepCopy().put("amount", 101), key), 400);
        check("POST", "/v1/payments", api.send(ApiClient.call("POST", "/v1/payments").bearer(merchant.secretKey())
                .idempotencyKey(ApiClient.newIdempotencyKey())
                .body("application/json", "{\"amount\": ".getBytes(StandardCharsets.UTF_8))), 400);
        check("POST", "/v1/payments", api.send(ApiClient.call("POST", "/v1/payments").bearer(merchant.secretKey())
                .idempotencyKey(ApiClient.newIdempotencyKey())
                .body("text/plain", "amount=100".getBytes(StandardCharsets.UTF_8))), 415);
        check("GET", "/v1/payments/{id}", api.getPayment(merchant, ApiClient.unknownId("pay_")), 404);
        check("GET", "/v1/accounts/{id}", api.getAccount(merchant, ApiClient.unknownId("acct_")), 404);
        check("POST", "/v1/accounts/{id}/deposits", api.deposit(merchant, ApiClient.unknownId("acct_"), 100), 404);
        check("GET", "/v1/payments/{id}", api.send(ApiClient.call("DELETE", "/v1/payments/" + ApiClient.unknownId("pay_"))
                .bearer(merchant.secretKey())), 405, "DELETE");

        assertThat(problems).isEmpty();
    }

    /** Asserts the status, collects what the document says is wrong with the answer, and returns it. */
    private ApiResponse check(String method, String template, ApiResponse answer, int status) {
        assertThat(answer.status()).as("%s %s: %s", method, template, answer).isEqualTo(status);
        problems.addAll(document.problems(method, template, answer));
        return answer;
    }

    /**
     * For an answer to a method the route does not have: the document describes the {@code 405} under
     * the route's documented operations, so it is checked against {@code documentedMethod}'s.
     */
    private void check(String documentedMethod, String template, ApiResponse answer, int status, String sentMethod) {
        assertThat(answer.status()).as("%s %s: %s", sentMethod, template, answer).isEqualTo(status);
        problems.addAll(document.problems(documentedMethod, template, answer));
    }
}
