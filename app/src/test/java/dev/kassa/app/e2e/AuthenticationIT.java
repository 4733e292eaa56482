package dev.kassa.app.e2e;

import static dev.kassa.app.e2e.ApiClient.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kassa.app.e2e.ApiClient.Call;
import dev.kassa.app.e2e.ApiClient.Merchant;
import dev.kassa.testing.LedgerSql;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Who may do what: requests without a valid secret key are refused before they do anything, the
 * admin endpoint takes only the admin token, and a merchant can neither see nor touch another
 * merchant's payments and accounts — which answer exactly as ids that do not exist.
 */
@Tag("integration")
@ExtendWith(SharedGateway.class)
class AuthenticationIT {

    private static final Duration SINK_WAIT = Duration.ofSeconds(30);

    private final TestGateway gateway;
    private final ApiClient api;
    private final LedgerSql ledger;

    AuthenticationIT(TestGateway gateway) {
        this.gateway = gateway;
        this.api = gateway.api();
        this.ledger = gateway.ledger();
    }

    @Test
    void requestWithoutAuthorizationHeaderIsRefusedAsMissingKey() {
        Merchant merchant = api.createMerchant("AuthenticationIT missing key");
        List<Call> unauthenticated = List.of(
                call("GET", "/v1/payments"),
                call("GET", "/v1/accounts/" + merchant.ownAccount()),
                call("POST", "/v1/payments").idempotencyKey(ApiClient.newIdempotencyKey())
                        .json(ApiClient.paymentBody(100, "usd", merchant.ownAccount(), null)),
                call("POST", "/v1/accounts").idempotencyKey(ApiClient.newIdempotencyKey())
                        .json(ApiClient.JSON.createObjectNode().put("currency", "usd")),
                call("GET", "/v1/payments").header("Authorization", "   "));

        for (Call request : unauthenticated) {
            assertAuthenticationError(api.send(request), "api_key_missing");
        }
        assertThat(ledger.accountIds(merchant.id())).as("no account opened without a key")
                .containsExactly(merchant.ownAccount());
    }

    @Test
    void requestWithAWrongKeyIsRefusedAsInvalidKey() {
        // Plan: a real merchant's key with one character changed, a well-formed unknown key, a key
        // without the Bearer scheme, and the admin token on a merchant route must all be refused
        // with api_key_invalid, while the genuine key is accepted (so the refusals are not for
        // another reason).
        Merchant merchant = api.createMerchant("AuthenticationIT wrong key");
        String key = merchant.secretKey();
        String tampered = key.substring(0, key.length() - 1) + (key.endsWith("a") ? "b" : "a");
        List<String> wrongHeaders = List.of(
                "Bearer " + tampered,
                "Bearer sk_test_" + UUID.randomUUID().toString().replace("-", ""),
                "Basic " + key,
                key,
                "Bearer " + gateway.adminToken());

        for (String header : wrongHeaders) {
            assertAuthenticationError(api.send(call("GET", "/v1/payments").header("Authorization", header)),
                    "api_key_invalid");
        }
        api.send(call("GET", "/v1/payments").bearer(key)).expectStatus(200);
    }

    @Test
    void adminEndpointTakesOnlyTheAdminToken() {
        // Plan: try to create a merchant with a merchant's secret key, a wrong token and no token; each
        // must be refused (401) and create nothing: no merchant row carries the attempted names. The
        // admin token then creates one with the same kind of request, so the check can see a row.
        Merchant merchant = api.createMerchant("AuthenticationIT admin");
        String attempted = "AuthenticationIT intruder " + UUID.randomUUID();
        ObjectNode body = ApiClient.JSON.createObjectNode().put("name", attempted);

        assertAuthenticationError(api.send(call("POST", "/admin/merchants").bearer(merchant.secretKey()).json(body)),
                "api_key_invalid");
        assertAuthenticationError(api.send(call("POST", "/admin/merchants")
                .bearer(gateway.adminToken() + "x").json(body)), "api_key_invalid");
        assertAuthenticationError(api.send(call("POST", "/admin/merchants").json(body)), "api_key_missing");
        assertThat(ledger.count("SELECT count(*) FROM merchants WHERE name = ?", attempted)).isZero();

        String allowed = "AuthenticationIT admin " + UUID.randomUUID();
        api.send(call("POST", "/admin/merchants").bearer(gateway.adminToken())
                .json(ApiClient.JSON.createObjectNode().put("name", allowed))).expectStatus(201);
        assertThat(ledger.count("SELECT count(*) FROM merchants WHERE name = ?", allowed)).isEqualTo(1);
    }

    @Test
    void anotherMerchantsPaymentAnswersExactlyAsAnUnknownId() {
        // Plan: A makes a payment and waits until A itself can read it (so the row exists). B asking
        // for it must get 404 resource_missing with the very body B gets for a random well-formed id
        // (the id in the message aside), and B's list must not show it.
        Merchant owner = api.createMerchant("AuthenticationIT payment owner");
        Merchant other = api.createMerchant("AuthenticationIT payment snoop");
        String customer = api.openAccount(owner, "usd");
        api.deposit(owner, customer, 1_000).expectStatus(201);
        String paymentId = api.pay(owner, 400, "usd", customer, null).expectStatus(201).id();
        await().atMost(SINK_WAIT).untilAsserted(() -> api.getPayment(owner, paymentId).expectStatus(200));

        ApiResponse foreign = api.getPayment(other, paymentId);
        String unknownId = ApiClient.unknownId("pay_");
        ApiResponse unknown = api.getPayment(other, unknownId);

        assertNotFound(foreign, "id");
        assertNotFound(unknown, "id");
        assertThat(withoutId(foreign.body(), paymentId)).isEqualTo(withoutId(unknown.body(), unknownId));
        assertThat(foreign.headers().firstValue("Content-Type"))
                .isEqualTo(unknown.headers().firstValue("Content-Type"));
        assertThat(api.listPayments(other, "").expectStatus(200).body().path("data")).isEmpty();
    }

    @Test
    void anotherMerchantsAccountAnswersExactlyAsAnUnknownId() {
        Merchant owner = api.createMerchant("AuthenticationIT account owner");
        Merchant other = api.createMerchant("AuthenticationIT account snoop");
        String account = api.openAccount(owner, "usd");
        api.getAccount(owner, account).expectStatus(200);

        ApiResponse foreign = api.getAccount(other, account);
        String unknownId = ApiClient.unknownId("acct_");
        ApiResponse unknown = api.getAccount(other, unknownId);

        assertNotFound(foreign, "id");
        assertNotFound(unknown, "id");
        assertThat(withoutId(foreign.body(), account)).isEqualTo(withoutId(unknown.body(), unknownId));
    }

    @Test
    void anotherMerchantCannotDepositIntoAnAccount() {
        // Plan: A's account holds 1,000. B's deposit of 5,000 into it must be refused exactly like a
        // deposit into an unknown account (404), before anything is published: the command topic
        // holds no command of B but its own account's opening. Then A deposits 1 as a marker and,
        // once A's own deposit shows, the balance (GET and SQL) must be 1,001 — never 6,001.
        Merchant owner = api.createMerchant("AuthenticationIT deposit owner");
        String otherKey = ApiClient.newIdempotencyKey();
        Merchant other = api.createMerchant("AuthenticationIT deposit intruder", otherKey);
        String account = api.openAccount(owner, "usd");
        api.deposit(owner, account, 1_000).expectStatus(201);

        ApiResponse foreign = api.deposit(other, account, 5_000);
        String unknownId = ApiClient.unknownId("acct_");
        ApiResponse unknown = api.deposit(other, unknownId, 5_000);

        assertNotFound(foreign, "id");
        assertThat(withoutId(foreign.body(), account)).isEqualTo(withoutId(unknown.body(), unknownId));
        assertThat(CommandLog.keysStartingWith(gateway.kafkaBootstrap(), other.id() + ":"))
                .containsExactly(other.id() + ":" + otherKey);
        api.deposit(owner, account, 1).expectStatus(201);
        await().atMost(SINK_WAIT).untilAsserted(() -> {
            assertThat(api.balance(owner, account)).isEqualTo(1_001);
            assertThat(ledger.storedBalance(account)).isEqualTo(1_001);
            assertThat(ledger.sumOfEntries(account)).isEqualTo(1_001);
        });
        assertThat(ledger.paymentStatuses(List.of(other.id()))).as("B booked nothing").isEmpty();
    }

    private static void assertAuthenticationError(ApiResponse response, String code) {
        assertThat(response.status()).as("%s", response).isEqualTo(401);
        assertThat(response.errorType()).isEqualTo("authentication_error");
        assertThat(response.errorCode()).isEqualTo(code);
        assertThat(response.error().path("message").asText()).isNotBlank();
    }

    private static void assertNotFound(ApiResponse response, String param) {
        assertThat(response.status()).as("%s", response).isEqualTo(404);
        assertThat(response.errorType()).isEqualTo("invalid_request_error");
        assertThat(response.errorCode()).isEqualTo("resource_missing");
        assertThat(response.errorParam()).isEqualTo(param);
    }

    /** The body with {@code id} replaced by a placeholder wherever it appears, to compare two 404s. */
    private static JsonNode withoutId(JsonNode body, String id) {
        try {
            return ApiClient.JSON.readTree(ApiClient.JSON.writeValueAsString(body).replace(id, "<id>"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
