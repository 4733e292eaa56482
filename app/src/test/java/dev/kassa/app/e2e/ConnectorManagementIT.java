package dev.kassa.app.e2e;

import static dev.kassa.app.e2e.ApiClient.call;
import static dev.kassa.app.e2e.ManagementEndpointsIT.metrics;
import static dev.kassa.app.e2e.ManagementEndpointsIT.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kassa.app.Services;
import dev.kassa.app.cli.UntilShutdown;
import dev.kassa.app.connector.CardConnector;
import dev.kassa.app.connector.ConnectorSettings;
import dev.kassa.app.e2e.ApiClient.Merchant;
import dev.kassa.model.CardChargeResult;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code kassa connector}'s management listener (docs/api.md, Management port) on the real gateway and
 * the processor sandbox: {@code /health}, {@code /ready} and {@code /metrics}, whose counters move with
 * the card payments the connector answers; and a connector whose worker dies is unhealthy and makes
 * its command exit non-zero, as the sink's and the topology's do (WorkerDeathIT).
 */
@Tag("integration")
@ExtendWith(SharedGateway.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectorManagementIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Above the API's outcome wait: a lost answer is retried after the payment was answered 202. */
    private static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);

    private final TestGateway gateway;
    private final ApiClient api;
    private CardSandbox sandbox;

    ConnectorManagementIT(TestGateway gateway) {
        this.gateway = gateway;
        this.api = gateway.api();
    }

    @BeforeAll
    void startSandbox() {
        sandbox = CardSandbox.start();
    }

    @AfterAll
    void stopSandbox() {
        sandbox.close();
    }

    @Test
    void managementListenerCountsTheChargesTheirOutcomesAndTheRetries() {
        // Plan: a connector with its management listener; the sandbox drops the answer of the first
        // charge once made (one retry with the same key), then answers the next ones. After a succeeded
        // and a declined card payment, /metrics must show at least 3 requests sent, the two outcome
        // kinds, at least one retry, nothing in flight and the lag series; /health and /ready 200.
        ConnectorSettings settings = sandbox.connectorSettings(gateway.kafkaBootstrap(), RETRY_BACKOFF);
        try (Services.RunningConnector connector = Services.startConnector(settings, sandbox.processor(settings),
                CardConnector.Hooks.NONE, "127.0.0.1", 0)) {
            ApiClient management = new ApiClient(connector.management().url(), gateway.adminToken());
            await("the connector's /ready").atMost(WAIT).until(() -> management.send(call("GET", "/ready")).status() == 200);
            Merchant merchant = api.createMerchant("ConnectorManagementIT");

            sandbox.faults("{\"drop_after_commit_rate\": \"1\"}");
            String dropped;
            try {
                dropped = api.pay(merchant, cardBody(1_100, "tok_visa")).id();
                await("a lost answer").atMost(WAIT).until(() -> sample(metrics(management), "kassa_connector_retries_total") >= 1);
            } finally {
                sandbox.faults("{}");
            }
            await().atMost(WAIT).until(() -> "completed".equals(
                    api.getPayment(merchant, dropped).expectStatus(200).body().path("status").asText()));
            api.pay(merchant, cardBody(1_200, "tok_chargeDeclined")).expectStatus(402);

            String text = metrics(management);
            assertThat(sample(text, "kassa_connector_requests_sent_total")).isGreaterThanOrEqualTo(3);
            assertThat(text).containsPattern("kassa_connector_outcomes_total\\{kind=\"succeeded\"} [1-9]")
                    .containsPattern("kassa_connector_outcomes_total\\{kind=\"declined\"} [1-9]")
                    .contains("kassa_connector_lag_records ", "kassa_connector_healthy 1.0");
            assertThat(sample(text, "kassa_connector_in_flight")).isZero();
            assertThat(management.send(call("GET", "/health")).status()).isEqualTo(200);
            assertThat(connector.management().url()).as("bound where it was told").startsWith("http://127.0.0.1:");
        }
    }

    @Test
    void connectorWhoseWorkerDiesIsUnhealthyAndExitsNonZero() throws Exception {
        // Plan: a connector whose hook throws an Error once a charge's answer is known, before it is
        // published. Its thread dies: /health must answer 503, the command's watch return exit code 1
        // and close the listener. The payment stays processing; a new connector then answers it once.
        AtomicBoolean armed = new AtomicBoolean(true);
        CardConnector.Hooks dying = (List<CardChargeResult> results) -> {
            if (armed.getAndSet(false)) {
                throw new AssertionError("injected: the connector's worker dies before publishing " + results);
            }
        };
        ConnectorSettings settings = sandbox.connectorSettings(gateway.kafkaBootstrap(), RETRY_BACKOFF);
        Merchant merchant = api.createMerchant("ConnectorManagementIT death");
        String paymentId;
        try (Services.RunningConnector connector = Services.startConnector(settings, sandbox.processor(settings), dying,
                "127.0.0.1", 0)) {
            String url = connector.management().url();
            ApiClient management = new ApiClient(url, gateway.adminToken());
            await("the connector's /ready").atMost(WAIT).until(() -> management.send(call("GET", "/ready")).status() == 200);

            paymentId = api.pay(merchant, cardBody(1_300, "tok_visa")).expectStatus(202).id();
            // The thread dies of the injected error on purpose: Awaitility must not take it for the test's.
            await("the connector's thread to die").dontCatchUncaughtExceptions().atMost(WAIT)
                    .until(() -> connector.failure().isDone());
            assertThat(connector.failure().join()).contains("injected");
            assertThat(management.send(call("GET", "/health")).status()).as("a dead connector is unhealthy").isEqualTo(503);
            assertThat(management.send(call("GET", "/ready")).status()).isEqualTo(503);

            int exitCode = CompletableFuture.supplyAsync(() -> UntilShutdown.await(connector, connector.failure()))
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(exitCode).isEqualTo(UntilShutdown.EXIT_WORKER_DIED).isNotZero();
            assertThatThrownBy(() -> management.send(call("GET", "/health"))).as("the listener is closed with it")
                    .hasRootCauseInstanceOf(IOException.class);
        }
        assertThat(api.getPayment(merchant, paymentId).expectStatus(200).body().path("status").asText())
                .isEqualTo("processing");

        try (CardConnector next = sandbox.connector(gateway.kafkaBootstrap(), RETRY_BACKOFF, CardConnector.Hooks.NONE)) {
            await().atMost(WAIT).until(() -> "completed".equals(
                    api.getPayment(merchant, paymentId).expectStatus(200).body().path("status").asText()));
        }
        assertThat(sandbox.charges(paymentId)).hasSize(1);
    }

    private static ObjectNode cardBody(long amount, String token) {
        ObjectNode body = ApiClient.JSON.createObjectNode().put("amount", amount).put("currency", "usd");
        body.putObject("source").put("type", "card").put("token", token);
        return body;
    }
}
