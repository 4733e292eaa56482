package dev.kassa.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kassa.api.auth.SecretKeys;
import dev.kassa.api.health.Readiness;
import dev.kassa.api.health.ReadinessReport;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP layer answers every malformed request in the one error shape, with docs/api.md's status and
 * code, without ever reaching a service. Plan: start the real Javalin wiring on an ephemeral port
 * with the real authenticator (over an in-memory merchant directory) and services that record any
 * call; send each bad request with java.net.http; check status, content type, body shape and code,
 * and that no service was called. Kafka, Postgres and Redis are not involved: the business path is
 * covered by the app module's integration tests.
 */
class HttpErrorMappingTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ADMIN_TOKEN = StubbedApi.ADMIN_TOKEN;
    private static final String SOURCE = "acct_0192f2c4a1b07a3c8e5d6f7a8b9c0d2f";
    private static final int BODY_BYTES_MAX = 64 * 1024;

    private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static StubbedApi api;
    private static String secretKey;
    private static List<String> serviceCalls;
    private static AtomicReference<Readiness> readiness;
    private static String baseUrl;
    private static String managementUrl;

    @BeforeAll
    static void startServer() {
        api = new StubbedApi(settings -> settings);
        secretKey = api.secretKey();
        serviceCalls = api.serviceCalls();
        readiness = api.readiness();
        baseUrl = api.baseUrl();
        managementUrl = api.managementUrl();
    }

    @AfterAll
    static void stopServer() {
        api.close();
    }

    @AfterEach
    void noServiceWasReached() {
        assertThat(serviceCalls).as("service calls").isEmpty();
        readiness.set(null);
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(10));
    }

    private static HttpRequest.Builder management(String path) {
        return HttpRequest.newBuilder(URI.create(managementUrl + path)).timeout(Duration.ofSeconds(10));
    }

    private static HttpRequest.Builder post(String path, String contentType, byte[] body) {
        HttpRequest.Builder builder = request(path)
                .header("Authorization", "Bearer " + secretKey)
                .header("Idempotency-Key", "key-1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        return contentType == null ? builder : builder.header("Content-Type", contentType);
    }

    private static HttpRequest.Builder postJson(String path, String json) {
        return post(path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Checks the status and the one error shape, and returns the {@code error} object. */
    private static JsonNode assertError(HttpResponse<String> response, int status, String type, String code) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode body = MAPPER.readTree(response.body());
        assertThat(body.properties()).extracting(Map.Entry::getKey).containsExactly("error");
        JsonNode error = body.get("error");
        assertThat(error.get("type").asText()).isEqualTo(type);
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("message").asText()).isNotBlank();
        List<String> fields = new ArrayList<>();
        error.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).isSubsetOf("type", "code", "message", "param");
        return error;
    }

    private static String validPayment() {
        return "{\"amount\": 1250, \"currency\": \"usd\", \"source\": \"" + SOURCE + "\"}";
    }

    @Test
    void badRefundBodiesAreRefusedBeforeAnyServiceIsReached() throws Exception {
        // Plan: every malformed refund request must get its 400 from validation alone; the unreachable
        // services (checked after each test) prove nothing was looked up or published.
        String path = "/v1/payments/pay_0123456789abcdef0123456789abcdef/refunds";
        for (String amount : List.of("-5", "0", "12.5", "\"100\"", "1e3", "true", "100000000000")) {
            JsonNode error = assertError(send(postJson(path, "{\"amount\": " + amount + "}")), 400,
                    "invalid_request_error", "amount_invalid");
            assertThat(error.get("param").asText()).as(amount).isEqualTo("amount");
        }
        JsonNode unknown = assertError(send(postJson(path, "{\"amount\": 5, \"reason\": \"x\"}")), 400,
                "invalid_request_error", "unknown_parameter");
        assertThat(unknown.get("param").asText()).isEqualTo("reason");
        HttpRequest.Builder withoutKey = request(path).header("Authorization", "Bearer " + secretKey)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"));
        assertError(send(withoutKey), 400, "invalid_request_error", "idempotency_key_missing");
        assertError(send(postJson(path, "[1]")), 400, "invalid_request_error", "invalid_json");
    }

    @Test
    void wrongMediaTypeIsUnsupported() throws Exception {
        HttpResponse<String> response = send(post("/v1/payments", "text/plain", validPayment().getBytes(StandardCharsets.UTF_8)));

        assertError(response, 415, "invalid_request_error", "unsupported_media_type");
    }

    @Test
    void bodyOverTheLimitIsTooLarge() throws Exception {
        byte[] body = new byte[BODY_BYTES_MAX + 1];
        java.util.Arrays.fill(body, (byte) ' ');

        HttpResponse<String> response = send(post("/v1/payments", "application/json", body));

        assertError(response, 413, "invalid_request_error", "request_too_large");
    }

    @Test
    void chunkedBodyOverTheLimitIsTooLargeWithoutADeclaredLength() throws Exception {
        byte[] body = new byte[BODY_BYTES_MAX * 2];
        java.util.Arrays.fill(body, (byte) ' ');
        HttpRequest.Builder request = request("/v1/payments")
                .header("Authorization", "Bearer " + secretKey).header("Idempotency-Key", "key-2")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));

        assertError(send(request), 413, "invalid_request_error", "request_too_large");
    }

    @Test
    void bodyOfExactlyTheLimitIsReadAndValidated() throws Exception {
        String prefix = "{\"amount\": 1250, \"currency\": \"usd\", \"source\": \"" + SOURCE + "\", \"description\": \"";
        String json = prefix + "d".repeat(BODY_BYTES_MAX - prefix.length() - 2) + "\"}";
        assertThat(json.getBytes(StandardCharsets.UTF_8)).hasSize(BODY_BYTES_MAX);

        JsonNode error = assertError(send(postJson("/v1/payments", json)), 400, "invalid_request_error", "parameter_invalid");

        assertThat(error.get("param").asText()).isEqualTo("description");
    }

    @Test
    void malformedJsonIsInvalidJson() throws Exception {
        assertError(send(postJson("/v1/payments", "{\"amount\": 1250,")), 400, "invalid_request_error", "invalid_json");
        assertError(send(postJson("/v1/payments", "{\"amount\": 1, \"amount\": 2}")), 400, "invalid_request_error", "invalid_json");
        assertError(send(post("/v1/payments", "application/json", new byte[] {'{', (byte) 0xFF, '}'})), 400,
                "invalid_request_error", "invalid_json");
    }

    @Test
    void unknownFieldIsNamedInParam() throws Exception {
        JsonNode error = assertError(send(postJson("/v1/payments", validPayment().replace("}", ", \"tip\": 5}"))),
                400, "invalid_request_error", "unknown_parameter");

        assertThat(error.get("param").asText()).isEqualTo("tip");
    }

    @Test
    void badAmountIsAmountInvalid() throws Exception {
        JsonNode error = assertError(send(postJson("/v1/payments", validPayment().replace("1250", "12.5"))),
                400, "invalid_request_error", "amount_invalid");

        assertThat(error.get("param").asText()).isEqualTo("amount");
    }

    @Test
    void unknownRouteIsAJsonNotFound() throws Exception {
        assertError(send(request("/v2/payments").GET()), 404, "invalid_request_error", "route_not_found");
        assertError(send(request("/v1/payments/pay_1/captures").GET()), 404, "invalid_request_error", "route_not_found");
    }

    @Test
    void wrongMethodIsAJsonMethodNotAllowed() throws Exception {
        HttpResponse<String> response = send(request("/v1/payments").DELETE());

        assertError(response, 405, "invalid_request_error", "method_not_allowed");
        assertThat(response.headers().firstValue("Allow")).hasValueSatisfying(allow -> assertThat(allow).contains("POST", "GET"));
        assertError(send(management("/health").POST(HttpRequest.BodyPublishers.noBody())), 405,
                "invalid_request_error", "method_not_allowed");
    }

    @Test
    void missingOrWrongKeyIsAnAuthenticationError() throws Exception {
        HttpRequest.Builder anonymous = request("/v1/payments").header("Content-Type", "application/json")
                .header("Idempotency-Key", "k").POST(HttpRequest.BodyPublishers.ofString(validPayment()));
        assertError(send(anonymous), 401, "authentication_error", "api_key_missing");

        HttpRequest.Builder wrongKey = request("/v1/payments/pay_0192f2c4a1b07a3c8e5d6f7a8b9c0d1e")
                .header("Authorization", "Bearer " + SecretKeys.generate()).GET();
        assertError(send(wrongKey), 401, "authentication_error", "api_key_invalid");

        HttpRequest.Builder basic = request("/v1/payments").header("Authorization", "Basic dXNlcjpwYXNz").GET();
        assertError(send(basic), 401, "authentication_error", "api_key_invalid");
    }

    @Test
    void authenticationComesBeforeValidation() throws Exception {
        HttpRequest.Builder anonymousGarbage = request("/v1/payments").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("garbage"));

        assertError(send(anonymousGarbage), 401, "authentication_error", "api_key_missing");
    }

    @Test
    void postWithoutIdempotencyKeyIsRejected() throws Exception {
        HttpRequest.Builder noKey = request("/v1/accounts").header("Authorization", "Bearer " + secretKey)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"currency\": \"usd\"}"));
        assertError(send(noKey), 400, "invalid_request_error", "idempotency_key_missing");

        HttpRequest.Builder longKey = request("/v1/accounts").header("Authorization", "Bearer " + secretKey)
                .header("Idempotency-Key", "k".repeat(256))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"currency\": \"usd\"}"));
        assertError(send(longKey), 400, "invalid_request_error", "idempotency_key_invalid");
    }

    @Test
    void depositWithABadBodyNeverReachesTheService() throws Exception {
        JsonNode error = assertError(send(postJson("/v1/accounts/" + SOURCE + "/deposits", "{\"amount\": \"100\"}")),
                400, "invalid_request_error", "amount_invalid");

        assertThat(error.get("param").asText()).isEqualTo("amount");
    }

    @Test
    void badListLimitIsParameterInvalid() throws Exception {
        HttpRequest.Builder list = request("/v1/payments?limit=500").header("Authorization", "Bearer " + secretKey).GET();

        JsonNode error = assertError(send(list), 400, "invalid_request_error", "parameter_invalid");

        assertThat(error.get("param").asText()).isEqualTo("limit");
    }

    @Test
    void adminEndpointTakesTheAdminTokenOnly() throws Exception {
        HttpRequest.Builder asMerchant = management("/admin/merchants").header("Authorization", "Bearer " + secretKey)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"Acme\"}"));
        assertError(send(asMerchant), 401, "authentication_error", "api_key_invalid");

        HttpRequest.Builder badBody = management("/admin/merchants").header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"\"}"));
        JsonNode error = assertError(send(badBody), 400, "invalid_request_error", "parameter_invalid");
        assertThat(error.get("param").asText()).isEqualTo("name");
    }

    @Test
    void unexpectedFailureIsAnApiErrorWithoutDetails() throws Exception {
        readiness.set(() -> {
            throw new IllegalStateException("secret internals");
        });

        HttpResponse<String> response = send(management("/ready").GET());

        assertError(response, 500, "api_error", "internal_error");
        assertThat(response.body()).doesNotContain("secret internals");
    }

    @Test
    void healthAndReadinessAnswerJson() throws Exception {
        HttpResponse<String> health = send(management("/health").GET());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(MAPPER.readTree(health.body())).isEqualTo(MAPPER.readTree("{\"status\": \"ok\"}"));

        Map<String, String> failures = new LinkedHashMap<>();
        failures.put("kafka", null);
        failures.put("redis", "Connection refused");
        failures.put("postgres", null);
        readiness.set(() -> new ReadinessReport(failures));
        HttpResponse<String> ready = send(management("/ready").GET());
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(MAPPER.readTree(ready.body())).isEqualTo(MAPPER.readTree("""
                {"status": "unavailable", "components": {"kafka": {"status": "ok"},
                 "redis": {"status": "unavailable", "error": "Connection refused"}, "postgres": {"status": "ok"}}}"""));
    }

    @Test
    void metricsCountRequestsByRouteTemplateAndStatus() throws Exception {
        send(request("/v1/payments/pay_0192f2c4a1b07a3c8e5d6f7a8b9c0d1e").GET());
        send(request("/no/such/route").GET());

        HttpResponse<String> metrics = send(management("/metrics").GET());

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(metrics.body())
                .contains("kassa_api_requests_seconds_count{method=\"GET\",route=\"/v1/payments/{id}\",status=\"401\"}")
                .contains("route=\"unmatched\",status=\"404\"")
                .doesNotContain("/no/such/route");
    }
}
