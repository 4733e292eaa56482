package dev.kassa.app.e2e;

import static dev.kassa.app.e2e.ApiClient.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kassa.app.e2e.ApiClient.Merchant;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every service's management listener (docs/api.md, Management port) on the real gateway: the API's
 * operators' routes are off its public port and on its management listener; the sink's and the
 * topology's listeners answer {@code /health}, {@code /ready} and {@code /metrics}, and their metrics
 * move with the payments they process.
 */
@Tag("integration")
@ExtendWith(SharedGateway.class)
class ManagementEndpointsIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** A deposit books two entries (external account, customer) and a payment two (customer, merchant). */
    private static final int ENTRIES_OF_A_DEPOSIT_AND_A_PAYMENT = 4;

    private final TestGateway gateway;
    private final ApiClient api;

    ManagementEndpointsIT(TestGateway gateway) {
        this.gateway = gateway;
        this.api = gateway.api();
    }

    @Test
    void operatorsRoutesAreOnTheManagementListenerOnlyAndAdminStillTakesTheToken() {
        ApiClient.Call createMerchant = call("POST", "/admin/merchants").bearer(gateway.adminToken())
                .idempotencyKey(ApiClient.newIdempotencyKey())
                .json(ApiClient.JSON.createObjectNode().put("name", "ManagementEndpointsIT public"));
        for (ApiClient.Call operators : new ApiClient.Call[] {createMerchant, call("GET", "/metrics"),
                call("GET", "/ready"), call("GET", "/health")}) {
            ApiResponse refused = api.sendPublic(operators);
            assertThat(refused.status()).as("public port: %s", refused).isEqualTo(404);
            assertThat(refused.body().path("error").path("code").asText()).isEqualTo("route_not_found");
        }

        ApiResponse anonymous = api.send(call("POST", "/admin/merchants")
                .json(ApiClient.JSON.createObjectNode().put("name", "ManagementEndpointsIT anonymous")));
        assertThat(anonymous.status()).as("management listener without the token: %s", anonymous).isEqualTo(401);
        assertThat(anonymous.body().path("error").path("code").asText()).isEqualTo("api_key_missing");
        await("the API's /ready").atMost(WAIT).until(() -> api.ready().status() == 200);
        assertThat(api.metrics()).contains("kassa_api_requests_seconds_count");
        assertThat(gateway.managementUrl()).as("bound to the loopback by default").startsWith("http://127.0.0.1:");
    }

    @Test
    void sinkManagementListenerReportsItsBatchesAfterPaymentsAreBooked() {
        // Plan: read the sink's entry counter, book a deposit and a payment through the API, then the
        // counter must have grown by at least their four entries (two legs each, docs/events.md), and
        // the batch, event and lag series must be there; /health and /ready answer 200.
        ApiClient sink = new ApiClient(gateway.sinkManagementUrl(), gateway.adminToken());
        double entriesBefore = sample(metrics(sink), "kassa_sink_entries_total");
        Merchant merchant = api.createMerchant("ManagementEndpointsIT sink");
        String customer = api.openAccount(merchant, "usd");
        api.deposit(merchant, customer, 10_000).expectStatus(201);
        api.pay(merchant, 1_000, "usd", customer, merchant.ownAccount()).expectStatus(201);

        await("the sink to count the four entries").atMost(WAIT).until(() ->
                sample(metrics(sink), "kassa_sink_entries_total") - entriesBefore >= ENTRIES_OF_A_DEPOSIT_AND_A_PAYMENT);
        String text = metrics(sink);
        assertThat(sample(text, "kassa_sink_batch_records_count")).isPositive();
        assertThat(sample(text, "kassa_sink_batch_seconds_count")).isPositive();
        assertThat(sample(text, "kassa_sink_events_total")).isPositive();
        assertThat(text).contains("kassa_sink_dead_letters_total", "kassa_sink_healthy 1.0")
                .containsPattern("kassa_sink_lag_records\\{partition=\"\\d+\",topic=\"payments.events\"}");
        assertThat(sink.send(call("GET", "/health")).status()).isEqualTo(200);
        await("the sink's /ready").atMost(WAIT).until(() -> sink.send(call("GET", "/ready")).status() == 200);
        assertThat(gateway.sinkManagementUrl()).as("bound to the loopback by default").startsWith("http://127.0.0.1:");
    }

    @Test
    void topologyManagementListenerReportsItsStreamsClient() {
        ApiClient topology = new ApiClient(gateway.topologyManagementUrl(), gateway.adminToken());
        Merchant merchant = api.createMerchant("ManagementEndpointsIT topology");
        api.openAccount(merchant, "usd");

        String text = metrics(topology);
        assertThat(text).contains("kassa_topology_state{state=\"RUNNING\"} 1.0")
                .contains("kassa_topology_state{state=\"ERROR\"} 0.0");
        assertThat(sample(text, "kafka_stream_thread_process_total")).as("records the stream threads processed")
                .isPositive();
        ApiResponse health = topology.send(call("GET", "/health"));
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body().path("state").asText()).isEqualTo("RUNNING");
        assertThat(topology.send(call("GET", "/ready")).status()).isEqualTo(200);
        assertThat(topology.send(call("GET", "/admin/merchants")).status()).as("no /admin beside the topology")
                .isEqualTo(404);
        assertThat(gateway.topologyManagementUrl()).as("bound to the loopback by default").startsWith("http://127.0.0.1:");
    }

    static String metrics(ApiClient listener) {
        return listener.send(call("GET", "/metrics")).expectStatus(200).rawBody();
    }

    /** The sum of every sample of {@code name} (all label sets), 0 when there is none. */
    static double sample(String prometheusText, String name) {
        Matcher samples = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$").matcher(prometheusText);
        double sum = 0;
        while (samples.find()) {
            sum += Double.parseDouble(samples.group(2));
        }
        return sum;
    }
}
