package dev.kassa.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kassa.api.RateLimits;
import dev.kassa.api.auth.SecretKeys;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The API's rate limits on the real HTTP server (docs/api.md, Rate limits). A request that passes the
 * limits reaches validation here and is answered {@code 400 invalid_json} (its body is not JSON), so a
 * {@code 400} proves a request was let through and a {@code 429} that it was stopped before anything
 * ran; the services behind are never reached either way.
 */
class RateLimitTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Far more than any burst here plus what refills while they are sent. */
    private static final int ATTEMPTS_MAX = 50;

    private StubbedApi api;
    private HttpResponse<String> last;

    @AfterEach
    void stop() {
        assertThat(api.serviceCalls()).as("service calls").isEmpty();
        api.close();
    }

    @Test
    void aMerchantOverItsBurstIsRefusedWith429AndRetryAfter() throws Exception {
        start(new RateLimits(1, 3, 1_000, 1_000, 1_000, 1_000, 1_000));

        List<Integer> statuses = untilRefused(() -> badPayment(api.secretKey()));

        // The burst of 3 passes; a token a second comes back, so a slow machine may pass one more.
        assertThat(statuses.subList(0, 3)).containsOnly(400);
        assertRateLimited(last, "API key");
    }

    @Test
    void anAddressOverItsBurstIsRefusedWhateverItAsks() throws Exception {
        start(new RateLimits(1_000, 1_000, 1, 4, 1_000, 1_000, 1_000));

        List<Integer> statuses = untilRefused(() -> management("/admin/merchants").header("Authorization", "Bearer "
                + StubbedApi.ADMIN_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("not json")).build());
        HttpResponse<String> health = send(management("/health").GET().build());

        assertThat(statuses.subList(0, 4)).containsOnly(400);
        assertRateLimited(last, "address");
        assertThat(health.statusCode()).as("operations routes are not limited").isEqualTo(200);
    }

    @Test
    void failedAuthenticationsAreThrottledBeforeAnyKeyIsLookedUp() throws Exception {
        start(new RateLimits(1_000, 1_000, 1_000, 1_000, 1, 3, 1_000));
        String unknownKey = SecretKeys.generate();

        HttpResponse<String> malformed = send(badPayment("sk_not_a_key"));
        int lookupsAfterMalformed = api.directoryLookups();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            statuses.add(send(badPayment(unknownKey)).statusCode());
        }
        int lookupsAfterUnknown = api.directoryLookups();
        HttpResponse<String> refused = send(badPayment(unknownKey));
        HttpResponse<String> rightKeyRefused = send(badPayment(api.secretKey()));

        assertThat(malformed.statusCode()).isEqualTo(401);
        assertThat(lookupsAfterMalformed).as("a malformed key is not looked up").isZero();
        assertThat(statuses).containsOnly(401);
        assertThat(lookupsAfterUnknown).as("an unknown key is looked up once, then remembered briefly").isEqualTo(1);
        assertRateLimited(refused, "failed authentications");
        assertRateLimited(rightKeyRefused, "failed authentications");
        assertThat(api.directoryLookups()).as("nothing looked up once throttled").isEqualTo(1);
    }

    @Test
    void aRequestFailingValidationGivesBackItsPlaceAmongTheMerchantsExecutingRequests() throws Exception {
        // Two may execute at once: five in a row each end (400) and give their place back.
        start(new RateLimits(1_000, 1_000, 1_000, 1_000, 1_000, 1_000, 2));

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            statuses.add(send(badPayment(api.secretKey())).statusCode());
        }

        assertThat(statuses).containsOnly(400);
    }

    /**
     * Sends requests until one is refused (at most {@link #ATTEMPTS_MAX}), keeping it in {@link #last};
     * the statuses of those let through.
     */
    private List<Integer> untilRefused(Supplier<HttpRequest> request) throws IOException, InterruptedException {
        List<Integer> passed = new ArrayList<>();
        for (int attempt = 0; attempt < ATTEMPTS_MAX; attempt++) {
            last = send(request.get());
            if (last.statusCode() == 429) {
                return passed;
            }
            passed.add(last.statusCode());
        }
        throw new AssertionError(ATTEMPTS_MAX + " requests were let through: " + passed);
    }

    private void start(RateLimits limits) {
        api = new StubbedApi(settings -> settings.rateLimits(limits));
    }

    private static void assertRateLimited(HttpResponse<String> response, String naming) throws IOException {
        assertThat(response.statusCode()).as("%s", response.body()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).hasValueSatisfying(seconds ->
                assertThat(Long.parseLong(seconds)).isPositive());
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("rate_limit_error");
        assertThat(error.path("code").asText()).isEqualTo("rate_limited");
        assertThat(error.path("message").asText()).contains(naming);
    }

    /** A payment whose body is not JSON: {@code 400 invalid_json} once it gets past authentication and the limits. */
    private HttpRequest badPayment(String secretKey) {
        return request("/v1/payments").header("Authorization", "Bearer " + secretKey)
                .header("Idempotency-Key", "limits").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("not json")).build();
    }

    private HttpRequest.Builder management(String path) {
        return HttpRequest.newBuilder(URI.create(api.managementUrl() + path)).timeout(Duration.ofSeconds(10));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).timeout(Duration.ofSeconds(10));
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
