package dev.kassa.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A JSON-over-HTTP client of Kassa's API (or the baseline's, which has the same shape) on one
 * {@link HttpClient}: HTTP/1.1 with keep-alive, so each of the load generator's threads reuses its
 * connection, and the number of open connections is bounded by the number of requests in flight.
 */
public final class HttpApi {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final String baseUrl;
    private final HttpClient client;

    /** @param executor runs the client's response handling; the caller's load threads stay free of it */
    public HttpApi(String baseUrl, Executor executor) {
        this.baseUrl = stripSlash(Objects.requireNonNull(baseUrl, "baseUrl"));
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .executor(Objects.requireNonNull(executor, "executor"))
                .build();
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** One answer: status, body (may be empty) and whether it was replayed from the idempotency store. */
    public record Answer(int status, String body, boolean replayed) {

        /** The body as JSON, or an empty object when it is not JSON. */
        public JsonNode json() {
            try {
                return body.isEmpty() ? JSON.createObjectNode() : JSON.readTree(body);
            } catch (IOException e) {
                return JSON.createObjectNode();
            }
        }

        /** The payment's id: from the payment itself (2xx) or from a decline's {@code error.payment} (402). */
        public String paymentId() {
            JsonNode json = json();
            JsonNode id = status == 402 ? json.path("error").path("payment").path("id") : json.path("id");
            return id.isTextual() ? id.asText() : null;
        }

        /** The error code of an error answer, e.g. {@code fraud_blocked}; null otherwise. */
        public String errorCode() {
            JsonNode code = json().path("error").path("code");
            return code.isTextual() ? code.asText() : null;
        }
    }

    /** A POST with a JSON body; {@code idempotencyKey} may be null. */
    public HttpRequest post(String path, String bearer, String idempotencyKey, String jsonBody, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.build();
    }

    /** Sends and waits; an I/O failure or a timeout is thrown. */
    public Answer send(HttpRequest request) throws IOException, InterruptedException {
        return toAnswer(client.send(request, HttpResponse.BodyHandlers.ofString()));
    }

    /** Sends without waiting. */
    public CompletableFuture<Answer> sendAsync(HttpRequest request) {
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(HttpApi::toAnswer);
    }

    private static Answer toAnswer(HttpResponse<String> response) {
        return new Answer(response.statusCode(), response.body() == null ? "" : response.body(),
                response.headers().firstValue("Idempotent-Replayed").map("true"::equals).orElse(false));
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
