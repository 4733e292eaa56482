package dev.kassa.processor.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kassa.processor.ProcessorJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox's HTTP edge on a real socket (in this JVM): authentication, the error shape
 * {@code {"error": {"code", "message"}}}, bad input refused with nothing journaled, and the admin
 * endpoint's own validation (docs/processor-sim.md).
 */
class SandboxHttpTest {

    private static final String API_KEY = "sk_test_unit";
    private static final String ADMIN_TOKEN = "admin_unit";
    private static final String GOOD = "{\"amount\": 1250, \"currency\": \"usd\", \"card_token\": \"tok_visa\", \"reference\": \"pay_1\"}";

    @TempDir
    Path dataDirectory;

    private ProcessorSandbox sandbox;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() {
        sandbox = new ProcessorSandbox(new SandboxSettings("127.0.0.1", 0, API_KEY, ADMIN_TOKEN, dataDirectory, Faults.NONE, 1)).start();
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "none|unauthorized",
            "Bearer wrong|unauthorized",
            "Bearer admin_unit|unauthorized",
            "sk_test_unit|unauthorized"
    })
    void requestWithoutTheApiKeyIsUnauthorized(String authorization, String code) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/v1/charges")).header("Idempotency-Key", "k1")
                .POST(HttpRequest.BodyPublishers.ofString(GOOD));
        if (!authorization.equals("none")) {
            request.header("Authorization", authorization);
        }

        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());

        assertError(response, 401, code, "Authorization");
        assertNothingJournaled();
    }

    @Test
    void chargeWithoutIdempotencyKeyIsRefusedAndStoresNothing() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/v1/charges"))
                .header("Authorization", "Bearer " + API_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(GOOD)).build(), HttpResponse.BodyHandlers.ofString());

        assertError(response, 400, "idempotency_key_missing", "Idempotency-Key");
        assertNothingJournaled();
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "{\"amount\": 10, \"currency\": \"usd\", \"card_token\": \"tok_visa\", \"reference\": \"pay_1\"}|amount_out_of_range|amount",
            "{\"amount\": 1250, \"currency\": \"chf\", \"card_token\": \"tok_visa\", \"reference\": \"pay_1\"}|currency_not_supported|currency",
            "{\"amount\": 1250, \"currency\": \"usd\", \"card_token\": \"tok_other\", \"reference\": \"pay_1\"}|unknown_card_token|card_token",
            "{\"amount\": 1250, \"currency\": \"usd\", \"card_token\": \"tok_visa\"}|parameter_missing|reference",
            "{nope|invalid_json|JSON"
    })
    void badChargeIsRefusedOverHttpAndStoresNothing(String body, String code, String field) throws Exception {
        HttpResponse<String> response = postCharge("key-bad", body);

        assertError(response, 400, code, field);
        assertNothingJournaled();
        // The key was not used up by the refused request: a good request with it makes a charge.
        assertThat(postCharge("key-bad", GOOD).statusCode()).isEqualTo(201);
    }

    @Test
    void unknownChargeIsNotFound() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/v1/charges/ch_missing"))
                .header("Authorization", "Bearer " + API_KEY).build(), HttpResponse.BodyHandlers.ofString());

        assertError(response, 404, "charge_not_found", "ch_missing");
    }

    @Test
    void settlementOfAnInvalidDateIsRefused() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/v1/settlements/2026-13-01.csv"))
                .header("Authorization", "Bearer " + API_KEY).build(), HttpResponse.BodyHandlers.ofString());

        assertError(response, 400, "invalid_date", "date");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"error_rate\": \"1.5\"}|parameter_invalid|error_rate",
            "{\"drop_after_commit_rate\": \"0.00001\"}|parameter_invalid|drop_after_commit_rate",
            "{\"latency_ms\": -1}|parameter_invalid|latency_ms",
            "{\"timeout_ms\": 0}|parameter_invalid|timeout_ms",
            "{\"settlement_missing\": 1.5}|parameter_invalid|settlement_missing",
            "{\"chaos\": 1}|unknown_field|chaos",
            "[]|invalid_request|object"
    })
    void badFaultSettingsAreRefusedAndChangeNothing(String body, String code, String field) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/admin/faults"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

        assertError(response, 400, code, field);
        assertThat(sandbox.faults()).isEqualTo(Faults.NONE);
    }

    @Test
    void faultSettingsAreReplacedWholeAndReadBack() throws Exception {
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(uri("/admin/faults"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"error_rate\": \"0.25\", \"settlement_missing\": 2,"
                        + " \"settlement_misstated\": 1}")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(uri("/admin/faults"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(ProcessorJson.mapper().readTree(get.body())).isEqualTo(ProcessorJson.mapper().readTree(
                "{\"latency_ms\": 0, \"error_rate\": \"0.25\", \"drop_after_commit_rate\": \"0\", \"timeout_rate\": \"0\","
                        + " \"timeout_ms\": 30000, \"settlement_missing\": 2, \"settlement_duplicate\": 0,"
                        + " \"settlement_misstated\": 1}"));
    }

    @Test
    void adminEndpointWantsTheAdminTokenNotTheApiKey() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/admin/faults"))
                .header("Authorization", "Bearer " + API_KEY).build(), HttpResponse.BodyHandlers.ofString());

        assertError(response, 401, "unauthorized", "admin token");
    }

    private HttpResponse<String> postCharge(String key, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri("/v1/charges"))
                .header("Authorization", "Bearer " + API_KEY).header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + sandbox.port() + path);
    }

    private void assertNothingJournaled() throws IOException {
        assertThat(Files.size(dataDirectory.resolve(Journal.FILE_NAME))).isZero();
    }

    private static void assertError(HttpResponse<String> response, int status, String code, String field) throws IOException {
        assertThat(response.statusCode()).isEqualTo(status);
        JsonNode error = ProcessorJson.mapper().readTree(response.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("message").asText()).contains(field);
    }
}
