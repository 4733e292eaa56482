package dev.kassa.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kassa.api.health.ReadinessReport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operators' routes live on the management listener only (docs/api.md, Management port): the
 * public port answers them {@code 404} in the API's error shape, the management listener serves them,
 * {@code /admin} there still takes the admin token only, and the listener binds the loopback unless
 * told otherwise.
 */
class ManagementListenerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static StubbedApi api;

    @BeforeAll
    static void startServer() {
        // The tests' settings leave the management host at its default.
        api = new StubbedApi(settings -> settings);
    }

    @AfterAll
    static void stopServer() {
        api.close();
    }

    @AfterEach
    void noServiceWasReached() {
        assertThat(api.serviceCalls()).as("service calls").isEmpty();
    }

    @Test
    void publicPortAnswersOperatorsRoutesNotFound() throws Exception {
        HttpRequest.Builder admin = HttpRequest.newBuilder(URI.create(api.baseUrl() + "/admin/merchants"))
                .header("Authorization", "Bearer " + StubbedApi.ADMIN_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"Acme\"}"));
        assertNotFound(send(admin));
        for (String path : new String[] {"/metrics", "/ready", "/health"}) {
            assertNotFound(send(HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).GET()));
        }
    }

    @Test
    void managementListenerServesHealthReadinessAndMetrics() throws Exception {
        Map<String, String> allUp = new LinkedHashMap<>();
        allUp.put("kafka", null);
        allUp.put("redis", null);
        allUp.put("postgres", null);
        api.readiness().set(() -> new ReadinessReport(allUp));

        HttpResponse<String> health = send(management("/health").GET());
        HttpResponse<String> ready = send(management("/ready").GET());
        HttpResponse<String> metrics = send(management("/metrics").GET());

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(MAPPER.readTree(health.body()).path("status").asText()).isEqualTo("ok");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(MAPPER.readTree(ready.body()).path("status").asText()).isEqualTo("ok");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(metrics.body()).contains("# TYPE");
        assertThat(api.managementRoutes()).contains("POST /admin/merchants", "GET /health", "GET /ready", "GET /metrics");
    }

    @Test
    void adminOnTheManagementListenerStillRequiresTheAdminToken() throws Exception {
        HttpRequest.Builder anonymous = management("/admin/merchants").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"Acme\"}"));
        HttpRequest.Builder asMerchant = management("/admin/merchants").header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + api.secretKey())
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"Acme\"}"));

        JsonNode missing = errorOf(send(anonymous), 401);
        JsonNode invalid = errorOf(send(asMerchant), 401);

        assertThat(missing.path("code").asText()).isEqualTo("api_key_missing");
        assertThat(invalid.path("code").asText()).isEqualTo("api_key_invalid");
    }

    @Test
    void managementListenerBindsTheLoopbackByDefault() throws Exception {
        InetSocketAddress bound = api.management().boundAddress();

        assertThat(bound.getAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(bound.getAddress().isLoopbackAddress()).isTrue();
        assertThat(bound.getPort()).isEqualTo(api.management().port()).isNotEqualTo(api.port());
    }

    @Test
    void unknownManagementRouteIsAJsonNotFound() throws Exception {
        assertNotFound(send(management("/v1/payments").GET()));
    }

    private static void assertNotFound(HttpResponse<String> response) throws Exception {
        JsonNode error = errorOf(response, 404);
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("code").asText()).isEqualTo("route_not_found");
    }

    private static JsonNode errorOf(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        return MAPPER.readTree(response.body()).path("error");
    }

    private static HttpRequest.Builder management(String path) {
        return HttpRequest.newBuilder(URI.create(api.managementUrl() + path)).timeout(Duration.ofSeconds(10));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
