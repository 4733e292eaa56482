package dev.kassa.app.e2e;

import static dev.kassa.app.e2e.ApiClient.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kassa.app.e2e.ApiClient.Call;
import dev.kassa.app.e2e.ApiClient.Merchant;
import dev.kassa.testing.LedgerSql;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/architecture.md's invariant 5 on the real gateway: bad input gets a clear 4xx with a machine-readable code,
 * never a 5xx, never reaches Kafka and never changes state. One merchant sends a table of malformed
 * requests — each one otherwise valid, so only its one fault can explain the answer — and afterwards
 * its balances, its rows and the command topic show that none of them did anything.
 */
@Tag("integration")
@ExtendWith(SharedGateway.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MalformedRequestsIT {

    private static final Duration SINK_WAIT = Duration.ofSeconds(30);
    private static final long FUNDED = 10_000;
    /** Stands for a fresh valid idempotency key in a row; null stands for none at all. */
    private static final String FRESH_KEY = "<fresh>";
    private static final String SOURCE = "<source>";
    private static final String DESTINATION = "<destination>";
    private static final String DEPOSIT = "<deposit>";
    private static final String PAYMENT = "{\"amount\":500,\"currency\":\"usd\",\"source\":\"<source>\","
            + "\"destination\":\"<destination>\"}";
    /** A valid payment body of more than 64 KiB: only its size is wrong. */
    private static final String OVERSIZED_PAYMENT = PAYMENT.replace("}",
            ",\"description\":\"" + "x".repeat(70_000) + "\"}");

    private final TestGateway gateway;
    private final ApiClient api;
    private final LedgerSql ledger;
    private Merchant merchant;
    private String customer;
    private String depositId;
    /** The idempotency keys of the set-up's commands: the only ones the merchant may have published. */
    private final List<String> setUpKeys = new ArrayList<>();

    MalformedRequestsIT(TestGateway gateway) {
        this.gateway = gateway;
        this.api = gateway.api();
        this.ledger = gateway.ledger();
    }

    /** One malformed request and the answer docs/api.md prescribes for it. */
    record Row(String name, String method, String path, String contentType, byte[] body, String idempotencyKey,
               int status, String code, String param, boolean rawSocket) {

        Row(String name, String method, String path, String contentType, byte[] body, String idempotencyKey,
            int status, String code, String param) {
            this(name, method, path, contentType, body, idempotencyKey, status, code, param, false);
        }

        /** This row sent byte for byte over a socket, for what java.net.http cannot send. */
        Row overSocket() {
            return new Row(name + " (over a socket)", method, path, contentType, body, idempotencyKey, status, code,
                    param, true);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    void fundOneAccount() {
        String merchantKey = ApiClient.newIdempotencyKey();
        String accountKey = ApiClient.newIdempotencyKey();
        String depositKey = ApiClient.newIdempotencyKey();
        merchant = api.createMerchant("MalformedRequestsIT", merchantKey);
        customer = api.openAccount(merchant, "usd", accountKey);
        depositId = api.deposit(merchant, customer, FUNDED, depositKey).expectStatus(201).id();
        setUpKeys.addAll(List.of(merchantKey, accountKey, depositKey));
        awaitSetUpBalances();
    }

    static Stream<Row> malformedRequests() {
        return Stream.of(
                // POST /v1/payments: media type, size and JSON syntax.
                payment("text/plain content type", "text/plain", PAYMENT, 415, "unsupported_media_type", null),
                payment("JSON in latin-1", "application/json; charset=iso-8859-1", PAYMENT, 415,
                        "unsupported_media_type", null),
                payment("body over 64 KiB", "application/json", OVERSIZED_PAYMENT, 413, "request_too_large", null),
                payment("truncated JSON", "application/json", "{\"amount\":500,\"currency\":", 400, "invalid_json",
                        null),
                payment("trailing garbage", "application/json", PAYMENT + " {}", 400, "invalid_json", null),
                payment("duplicate key", "application/json", PAYMENT.replace("{", "{\"amount\":500,"), 400,
                        "invalid_json", null),
                new Row("invalid UTF-8", "POST", "/v1/payments", "application/json", invalidUtf8Payment(), FRESH_KEY,
                        400, "invalid_json", null),
                payment("array instead of object", "application/json", "[" + PAYMENT + "]", 400, "invalid_json", null),
                // POST /v1/payments: fields.
                payment("unknown field", "application/json", with("\"tip\":5"), 400, "unknown_parameter", "tip"),
                amount("12.5"),
                amount("1e3"),
                amount("\"100\""),
                amount("true"),
                amount("0"),
                amount("-5"),
                amount("100000000000"),
                payment("amount missing", "application/json", PAYMENT.replace("\"amount\":500,", ""), 400,
                        "parameter_missing", "amount"),
                currency("\"usdd\""),
                currency("\"xau\""),
                currency("12"),
                payment("source not an account id", "application/json", PAYMENT.replace(SOURCE, "acct_customer_1"), 400,
                        "parameter_invalid", "source"),
                payment("destination equal to source", "application/json", PAYMENT.replace(DESTINATION, SOURCE), 400,
                        "parameter_invalid", "destination"),
                metadata("51 keys", metadataWithKeys(51)),
                metadata("a 41-character key", "{\"" + "k".repeat(41) + "\":\"v\"}"),
                metadata("a 501-character value", "{\"k\":\"" + "v".repeat(501) + "\"}"),
                metadata("a number value", "{\"k\":42}"),
                // POST /v1/payments: the idempotency key.
                key("missing", null, "idempotency_key_missing"),
                key("of 256 characters", "k".repeat(256), "idempotency_key_invalid"),
                key("with a space", "key with-space", "idempotency_key_invalid"),
                key("with a control character", "key\twith-tab", "idempotency_key_invalid"),
                key("with a non-ASCII character", "clé", "idempotency_key_invalid").overSocket(),
                // Refused by the web server before routing, still in the API's error shape.
                new Row("payment: idempotency key with the control character 0x01", "POST", "/v1/payments",
                        "application/json", utf8(PAYMENT), "key\u0001x", 400, "invalid_request", null).overSocket(),
                // POST /v1/accounts.
                account("text/plain content type", "text/plain", "{\"currency\":\"usd\"}", FRESH_KEY, 415,
                        "unsupported_media_type", null),
                account("body over 64 KiB", "application/json",
                        "{\"currency\":\"usd\",\"x\":\"" + "x".repeat(70_000) + "\"}", FRESH_KEY, 413,
                        "request_too_large", null),
                account("unknown field", "application/json", "{\"currency\":\"usd\",\"balance\":100}", FRESH_KEY, 400,
                        "unknown_parameter", "balance"),
                account("currency usdd", "application/json", "{\"currency\":\"usdd\"}", FRESH_KEY, 400,
                        "currency_invalid", "currency"),
                account("currency missing", "application/json", "{}", FRESH_KEY, 400, "parameter_missing", "currency"),
                account("idempotency key missing", "application/json", "{\"currency\":\"usd\"}", null, 400,
                        "idempotency_key_missing", null),
                // POST /v1/accounts/{id}/deposits.
                deposit("amount 0", "{\"amount\":0}", FRESH_KEY, 400, "amount_invalid", "amount"),
                deposit("amount \"100\"", "{\"amount\":\"100\"}", FRESH_KEY, 400, "amount_invalid", "amount"),
                deposit("amount 12.5", "{\"amount\":12.5}", FRESH_KEY, 400, "amount_invalid", "amount"),
                deposit("unknown field currency", "{\"amount\":100,\"currency\":\"usd\"}", FRESH_KEY, 400,
                        "unknown_parameter", "currency"),
                deposit("malformed JSON", "{amount:100}", FRESH_KEY, 400, "invalid_json", null),
                deposit("body over 64 KiB", "{\"amount\":100,\"description\":\"" + "x".repeat(70_000) + "\"}",
                        FRESH_KEY, 413, "request_too_large", null),
                deposit("idempotency key missing", "{\"amount\":100}", null, 400, "idempotency_key_missing", null),
                deposit("idempotency key of 256 characters", "{\"amount\":100}", "k".repeat(256), 400,
                        "idempotency_key_invalid", null),
                // POST /v1/payments/{id}/refunds: validated before the payment is even looked up.
                refund("amount -5", "{\"amount\":-5}", FRESH_KEY, 400, "amount_invalid", "amount"),
                refund("amount 0", "{\"amount\":0}", FRESH_KEY, 400, "amount_invalid", "amount"),
                refund("amount 12.5", "{\"amount\":12.5}", FRESH_KEY, 400, "amount_invalid", "amount"),
                refund("amount \"100\"", "{\"amount\":\"100\"}", FRESH_KEY, 400, "amount_invalid", "amount"),
                refund("amount 1e3", "{\"amount\":1e3}", FRESH_KEY, 400, "amount_invalid", "amount"),
                refund("unknown field", "{\"amount\":100,\"reason\":\"duplicate\"}", FRESH_KEY, 400,
                        "unknown_parameter", "reason"),
                refund("malformed JSON", "{amount:100}", FRESH_KEY, 400, "invalid_json", null),
                refund("idempotency key missing", "{\"amount\":100}", null, 400, "idempotency_key_missing", null),
                // ...then against the ledger: a deposit is not refundable, an unknown payment is missing.
                refund("of a deposit", "{}", FRESH_KEY, 400, "payment_not_refundable", "id"),
                new Row("refund: of an unknown payment", "POST", "/v1/payments/" + ApiClient.unknownId("pay_")
                        + "/refunds", "application/json", utf8("{\"amount\":100}"), FRESH_KEY, 404,
                        "resource_missing", "id"),
                new Row("refund: of a malformed payment id", "POST", "/v1/payments/pay_123/refunds", "application/json",
                        utf8("{}"), FRESH_KEY, 404, "resource_missing", "id"),
                new Row("GET an unknown refund", "GET", "/v1/refunds/" + ApiClient.unknownId("re_"), null, null, null,
                        404, "resource_missing", "id"),
                new Row("DELETE on a refund", "DELETE", "/v1/refunds/" + ApiClient.unknownId("re_"), null, null, null,
                        405, "method_not_allowed", null),
                // GET /v1/payments.
                list("limit=0", 400, "parameter_invalid", "limit"),
                list("limit=101", 400, "parameter_invalid", "limit"),
                list("limit=abc", 400, "parameter_invalid", "limit"),
                list("limit=-1", 400, "parameter_invalid", "limit"),
                list("starting_after=pay_123", 400, "parameter_invalid", "starting_after"),
                list("color=blue", 400, "unknown_parameter", "color"),
                list("limit=1%", 400, "parameter_invalid", "limit").overSocket(),
                new Row("GET a payment id with a broken escape", "GET", "/v1/payments/%zz", null, null, null, 400,
                        "invalid_request", null).overSocket(),
                // Routing.
                new Row("unknown route", "GET", "/v1/paymentz", null, null, null, 404, "route_not_found", null),
                new Row("unknown POST route", "POST", "/v1/transfers", "application/json", utf8(PAYMENT), FRESH_KEY,
                        404, "route_not_found", null),
                new Row("DELETE on payments", "DELETE", "/v1/payments", null, null, null, 405, "method_not_allowed",
                        null),
                new Row("PUT on deposits", "PUT", "/v1/accounts/" + SOURCE + "/deposits", "application/json",
                        utf8("{\"amount\":100}"), FRESH_KEY, 405, "method_not_allowed", null));
    }

    @Order(1)
    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("malformedRequests")
    void malformedRequestIsRefusedWithItsErrorCode(Row row) {
        ApiResponse response = row.rawSocket() ? api.sendRaw(request(row)) : api.send(request(row));

        assertThat(response.status()).as("%s", response).isEqualTo(row.status());
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/json"));
        assertThat(response.errorType()).as("%s", response).isEqualTo("invalid_request_error");
        assertThat(response.errorCode()).as("%s", response).isEqualTo(row.code());
        assertThat(response.errorParam()).as("%s", response).isEqualTo(row.param());
        assertThat(response.error().path("message").asText()).isNotBlank();
    }

    @Order(2)
    @Test
    void refusedRequestsChangedNothingAndPublishedNoCommand() {
        // Plan: after the whole table, everything about the merchant must be exactly as the set-up
        // left it. Kafka first, because the API publishes before it answers: reading the command
        // topic read_committed up to its end, the merchant's commands are exactly the set-up's three
        // (merchant's own account, one account, one deposit) — seeing them shows the reader works.
        // Then Postgres: the same two accounts, the one deposit and no payment, and balances (GET and
        // SQL) of the funded account and the merchant's own account as funded.
        List<String> commandKeys = CommandLog.keysStartingWith(gateway.kafkaBootstrap(), merchant.id() + ":");
        assertThat(commandKeys).containsExactlyInAnyOrderElementsOf(
                setUpKeys.stream().map(key -> merchant.id() + ":" + key).toList());

        assertThat(ledger.accountIds(merchant.id())).containsExactlyInAnyOrder(merchant.ownAccount(), customer);
        assertThat(ledger.paymentStatuses(List.of(merchant.id()))).isEqualTo(Map.of(depositId, "completed"));
        awaitSetUpBalances();
    }

    private void awaitSetUpBalances() {
        await().atMost(SINK_WAIT).untilAsserted(() -> {
            assertThat(api.balance(merchant, customer)).isEqualTo(FUNDED);
            assertThat(ledger.storedBalance(customer)).isEqualTo(FUNDED);
            assertThat(ledger.sumOfEntries(customer)).isEqualTo(FUNDED);
            assertThat(api.balance(merchant, merchant.ownAccount())).isZero();
            assertThat(ledger.sumOfEntries(merchant.ownAccount())).isZero();
        });
    }

    private Call request(Row row) {
        Call call = ApiClient.call(row.method(), placeholders(row.path())).bearer(merchant.secretKey());
        if (row.idempotencyKey() != null) {
            call = call.idempotencyKey(row.idempotencyKey().equals(FRESH_KEY)
                    ? ApiClient.newIdempotencyKey() : row.idempotencyKey());
        }
        if (row.body() != null) {
            call = call.body(row.contentType(), placeholders(row.body()));
        }
        return call;
    }

    private String placeholders(String text) {
        return text.replace(SOURCE, customer).replace(DESTINATION, merchant.ownAccount()).replace(DEPOSIT, depositId);
    }

    private byte[] placeholders(byte[] body) {
        // Placeholders are ASCII, so replacing them byte-wise keeps any deliberately invalid byte intact.
        byte[] source = utf8(SOURCE);
        byte[] destination = utf8(DESTINATION);
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
        for (int i = 0; i < body.length; ) {
            if (startsWith(body, i, source)) {
                out.writeBytes(utf8(customer));
                i += source.length;
            } else if (startsWith(body, i, destination)) {
                out.writeBytes(utf8(merchant.ownAccount()));
                i += destination.length;
            } else {
                out.write(body[i++]);
            }
        }
        return out.toByteArray();
    }

    private static boolean startsWith(byte[] body, int offset, byte[] prefix) {
        if (offset + prefix.length > body.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (body[offset + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static Row payment(String name, String contentType, String body, int status, String code, String param) {
        return new Row("payment: " + name, "POST", "/v1/payments", contentType, utf8(body), FRESH_KEY, status, code,
                param);
    }

    private static Row amount(String literal) {
        return payment("amount " + literal, "application/json", PAYMENT.replace("500", literal), 400, "amount_invalid",
                "amount");
    }

    private static Row currency(String literal) {
        return payment("currency " + literal, "application/json", PAYMENT.replace("\"usd\"", literal), 400,
                "currency_invalid", "currency");
    }

    private static Row metadata(String name, String metadata) {
        return payment("metadata with " + name, "application/json", with("\"metadata\":" + metadata), 400,
                "metadata_invalid", "metadata");
    }

    private static Row key(String name, String key, String code) {
        return new Row("payment: idempotency key " + name, "POST", "/v1/payments", "application/json", utf8(PAYMENT),
                key, 400, code, null);
    }

    private static Row account(String name, String contentType, String body, String key, int status, String code,
                               String param) {
        return new Row("account: " + name, "POST", "/v1/accounts", contentType, utf8(body), key, status, code, param);
    }

    private static Row deposit(String name, String body, String key, int status, String code, String param) {
        return new Row("deposit: " + name, "POST", "/v1/accounts/" + SOURCE + "/deposits", "application/json",
                utf8(body), key, status, code, param);
    }

    private static Row refund(String name, String body, String key, int status, String code, String param) {
        return new Row("refund: " + name, "POST", "/v1/payments/" + DEPOSIT + "/refunds", "application/json",
                utf8(body), key, status, code, param);
    }

    private static Row list(String query, int status, String code, String param) {
        return new Row("list: " + query, "GET", "/v1/payments?" + query, null, null, null, status, code, param);
    }

    /** The valid payment with one more field. */
    private static String with(String field) {
        return PAYMENT.substring(0, PAYMENT.length() - 1) + "," + field + "}";
    }

    private static String metadataWithKeys(int keys) {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < keys; i++) {
            json.append(i == 0 ? "" : ",").append("\"key").append(i).append("\":\"value\"");
        }
        return json.append('}').toString();
    }

    /** A valid payment whose description holds 0xC3 0x28: a UTF-8 lead byte followed by no continuation byte. */
    private static byte[] invalidUtf8Payment() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(utf8(PAYMENT.substring(0, PAYMENT.length() - 1) + ",\"description\":\"caf"));
        body.write(0xC3);
        body.write(0x28);
        body.writeBytes(utf8("\"}"));
        return body.toByteArray();
    }
}
