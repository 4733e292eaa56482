package dev.kassa.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kassa.api.auth.Merchant;
import dev.kassa.api.error.ApiException;
import dev.kassa.api.error.ErrorCode;
import dev.kassa.api.idempotency.IdempotentRequest;
import dev.kassa.api.payments.DepositRequest;
import dev.kassa.api.payments.PageRequest;
import dev.kassa.api.payments.PaymentPage;
import dev.kassa.api.payments.PaymentRequest;
import dev.kassa.api.payments.Payments;
import dev.kassa.model.CreatePayment;
import dev.kassa.model.Ids;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A payment waiting for its outcome holds no thread of the API (docs/architecture.md, "The API's
 * per-request work"): with 8 Jetty threads, three times as many payments wait at once, a listing is
 * answered meanwhile, and each payment is answered when its outcome comes, the one that fails with
 * its error. With handlers that held their thread, the ninth payment would not even reach the service.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WaitingPaymentsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int THREADS = 8;
    private static final int PAYMENTS = 3 * THREADS;
    private static final String SOURCE = "acct_0192f2c4a1b07a3c8e5d6f7a8b9c0d1e";
    private static final String DESTINATION = "acct_0192f2c4a1b07a3c8e5d6f7a8b9c0d2f";

    /** One payment request that reached the service, and the future it answered with. */
    private record Waiting(CreatePayment command, CompletableFuture<Payment> outcome) {
    }

    private final ConcurrentLinkedQueue<Waiting> waiting = new ConcurrentLinkedQueue<>();
    private final ExecutorService work = Executors.newCachedThreadPool();
    private final StubbedApi api = new StubbedApi(settings -> settings.httpThreadsMax(THREADS), new Payments() {
        @Override
        public CompletableFuture<Payment> create(Merchant merchant, IdempotentRequest idempotency, PaymentRequest request) {
            Instant now = Instant.now();
            CreatePayment command = new CreatePayment(Ids.next(Ids.PAYMENT, now), merchant.id(), idempotency.key(),
                    PaymentKind.PAYMENT, request.amount(), request.currency(), request.source(),
                    request.destination().orElseThrow(), null, Map.of(), now, idempotency.fingerprint());
            CompletableFuture<Payment> outcome = new CompletableFuture<>();
            waiting.add(new Waiting(command, outcome));
            return outcome;
        }

        @Override
        public CompletableFuture<Payment> deposit(Merchant merchant, IdempotentRequest idempotency, String accountId,
                                                  DepositRequest request) {
            throw new IllegalStateException("no deposit in this test");
        }

        @Override
        public Optional<Payment> find(Merchant merchant, String paymentId) {
            return Optional.empty();
        }

        @Override
        public PaymentPage list(Merchant merchant, PageRequest page) {
            return new PaymentPage(List.of(), false);
        }
    }, work);
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(WAIT).build();

    @AfterEach
    void stop() {
        api.close();
        work.shutdownNow();
    }

    @Test
    void paymentsWaitingForTheirOutcomeHoldNoThread() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < PAYMENTS; i++) {
            answers.add(client.sendAsync(payment("waiting-" + i), HttpResponse.BodyHandlers.ofString()));
        }
        await().atMost(WAIT).until(() -> waiting.size() == PAYMENTS);

        HttpResponse<String> listing = client.send(request("/v1/payments").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(listing.statusCode()).isEqualTo(200);
        assertThat(answers).as("every payment still waits for its outcome").noneMatch(CompletableFuture::isDone);

        List<Waiting> reached = new ArrayList<>(waiting);
        Waiting refused = reached.get(0);
        refused.outcome().completeExceptionally(new ApiException(ErrorCode.RESOURCE_MISSING,
                "no such account: " + SOURCE, "source"));
        reached.subList(1, reached.size()).forEach(each -> each.outcome().complete(Payment.pending(each.command()).completed()));

        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            HttpResponse<String> response = answer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            String key = response.request().headers().firstValue("Idempotency-Key").orElseThrow();
            JsonNode body = MAPPER.readTree(response.body());
            if (key.equals(refused.command().idempotencyKey())) {
                assertThat(response.statusCode()).isEqualTo(404);
                assertThat(body.at("/error/code").asText()).isEqualTo("resource_missing");
                assertThat(body.at("/error/param").asText()).isEqualTo("source");
            } else {
                assertThat(response.statusCode()).isEqualTo(201);
                Waiting own = reached.stream().filter(each -> each.command().idempotencyKey().equals(key)).findFirst()
                        .orElseThrow();
                assertThat(body.get("id").asText()).isEqualTo(own.command().paymentId());
                assertThat(body.get("status").asText()).isEqualTo("completed");
            }
        }
    }

    private HttpRequest payment(String idempotencyKey) {
        String body = "{\"amount\":1250,\"currency\":\"usd\",\"source\":\"" + SOURCE + "\",\"destination\":\""
                + DESTINATION + "\"}";
        return request("/v1/payments").header("Idempotency-Key", idempotencyKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).timeout(WAIT)
                .header("Authorization", "Bearer " + api.secretKey());
    }
}
