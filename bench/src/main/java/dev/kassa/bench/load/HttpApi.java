package dev.kassa.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A JSON-over-HTTP client of Kassa's API (or the baseline's, which has the same shape), HTTP/1.1 with
 * keep-alive, in two ways:
 * <ul>
 *   <li>{@link #send} blocks the calling load thread on a plain {@link HttpURLConnection}: the request is
 *       written and the answer read on that thread, and connections are reused from the JDK's keep-alive
 *       cache, so the number of open connections is the number of requests in flight. It is the
 *       cheap way: the load generator's CPU lands on the machine the systems under test share, and this
 *       path costs a fraction of the asynchronous client's (docs/benchmarks.md, "The load generator");</li>
 *   <li>{@link #sendAsync} uses {@link HttpClient} for the retry storm, whose attempts race in flight and
 *       are given up by the client on a timeout.</li>
 * </ul>
 */
public final class HttpApi {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    static {
        // The JDK's keep-alive cache keeps 5 idle connections per server by default and closes the
        // others after use; a load thread per request in flight needs as many (docs/benchmarks.md).
        System.setProperty("http.maxConnections", "4096");
        // The request is buffered so that its head and body leave in one write (two small writes meet
        // Nagle's algorithm and the server's delayed ACK); the JDK would then send a buffered POST again
        // on a fresh connection when a kept-alive one fails, behind the bench's back. It must not: every
        // attempt is one the bench makes and counts.
        System.setProperty("sun.net.http.retryPost", "false");
    }

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

    /** A POST of a JSON body to a path of the API, with its bearer token and idempotency key (both may be null). */
    public record Call(String path, String bearer, String idempotencyKey, String jsonBody, Duration timeout) {

        public Call {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(jsonBody, "jsonBody");
            Objects.requireNonNull(timeout, "timeout");
        }
    }

    /** A POST with a JSON body; {@code bearer} and {@code idempotencyKey} may be null. */
    public Call post(String path, String bearer, String idempotencyKey, String jsonBody, Duration timeout) {
        return new Call(path, bearer, idempotencyKey, jsonBody, timeout);
    }

    /**
     * Sends on the calling thread and waits for the answer, reusing a kept-alive connection. The timeout
     * bounds the connection's setup and each wait for the server's bytes; it is thrown as an
     * {@link HttpTimeoutException}, any other transport failure as an {@link IOException}.
     */
    public Answer send(Call call) throws IOException {
        byte[] body = call.jsonBody().getBytes(StandardCharsets.UTF_8);
        int timeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, call.timeout().toMillis()));
        HttpURLConnection connection = (HttpURLConnection) new URL(baseUrl + call.path()).openConnection(Proxy.NO_PROXY);
        try {
            connection.setRequestMethod("POST");
            connection.setConnectTimeout(timeoutMillis);
            connection.setReadTimeout(timeoutMillis);
            connection.setUseCaches(false);
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/json");
            if (call.bearer() != null) {
                connection.setRequestProperty("Authorization", "Bearer " + call.bearer());
            }
            if (call.idempotencyKey() != null) {
                connection.setRequestProperty("Idempotency-Key", call.idempotencyKey());
            }
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
            int status = connection.getResponseCode();
            String answer;
            // Reading the body to its end and closing the stream hands the connection back to the cache.
            try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
                answer = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            return new Answer(status, answer, "true".equals(connection.getHeaderField("Idempotent-Replayed")));
        } catch (SocketTimeoutException e) {
            connection.disconnect();
            HttpTimeoutException timeout = new HttpTimeoutException("no answer within " + call.timeout() + ": " + e.getMessage());
            timeout.initCause(e);
            throw timeout;
        } catch (IOException e) {
            connection.disconnect();
            throw e;
        }
    }

    /** Sends on the asynchronous client without waiting; a timeout completes it with an {@link HttpTimeoutException}. */
    public CompletableFuture<Answer> sendAsync(Call call) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + call.path()))
                .timeout(call.timeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(call.jsonBody()));
        if (call.bearer() != null) {
            request.header("Authorization", "Bearer " + call.bearer());
        }
        if (call.idempotencyKey() != null) {
            request.header("Idempotency-Key", call.idempotencyKey());
        }
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).thenApply(HttpApi::toAnswer);
    }

    private static Answer toAnswer(HttpResponse<String> response) {
        return new Answer(response.statusCode(), response.body() == null ? "" : response.body(),
                response.headers().firstValue("Idempotent-Replayed").map("true"::equals).orElse(false));
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
