package dev.kassa.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

/**
 * A JSON-over-HTTP client of Kassa's API (or the baseline's, which has the same shape), HTTP/1.1 with
 * keep-alive, in two ways:
 * <ul>
 *   <li>{@link #send} blocks the calling load thread on Apache HttpClient's classic (blocking) client:
 *       the request is written in one write on a socket without Nagle's delay and the answer read on
 *       the same thread, over a pooled kept-alive connection, so the number of open connections is the
 *       number of requests in flight. It is the cheap way: the load generator's CPU lands on the machine
 *       the systems under test share (docs/benchmarks.md, "The load generator");</li>
 *   <li>{@link #sendAsync} uses the JDK's {@link HttpClient} for the retry storm, whose attempts race in
 *       flight and are given up by the client on a timeout.</li>
 * </ul>
 * Neither sends a request again on its own: every attempt is one the bench makes and counts.
 */
public final class HttpApi implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** Far more than the load threads and in-flight attempts of any run: the pool never makes one wait. */
    private static final int CONNECTIONS_MAX = 8192;
    private static final ContentType JSON_CONTENT = ContentType.create("application/json");

    private final String baseUrl;
    private final HttpClient client;
    private final CloseableHttpClient blocking;

    /** @param executor runs the client's response handling; the caller's load threads stay free of it */
    public HttpApi(String baseUrl, Executor executor) {
        this.baseUrl = stripSlash(Objects.requireNonNull(baseUrl, "baseUrl"));
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .executor(Objects.requireNonNull(executor, "executor"))
                .build();
        this.blocking = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(CONNECTIONS_MAX)
                        .setMaxConnPerRoute(CONNECTIONS_MAX)
                        // Head and body leave in one write (the client buffers them); no Nagle delay on it either.
                        .setDefaultSocketConfig(SocketConfig.custom().setTcpNoDelay(true).build())
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(CONNECT_TIMEOUT)).build())
                        .build())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
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
     * Sends on the calling thread and waits for the answer, on a pooled kept-alive connection. The timeout
     * bounds each wait for the server's bytes; it is thrown as an {@link HttpTimeoutException}, any other
     * transport failure as an {@link IOException}.
     */
    public Answer send(Call call) throws IOException {
        HttpPost post = new HttpPost(baseUrl + call.path());
        post.setConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(call.timeout())).build());
        post.setEntity(new ByteArrayEntity(call.jsonBody().getBytes(StandardCharsets.UTF_8), JSON_CONTENT));
        if (call.bearer() != null) {
            post.setHeader("Authorization", "Bearer " + call.bearer());
        }
        if (call.idempotencyKey() != null) {
            post.setHeader("Idempotency-Key", call.idempotencyKey());
        }
        try {
            return blocking.execute(post, response -> {
                Header replayed = response.getFirstHeader("Idempotent-Replayed");
                return new Answer(response.getCode(),
                        response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8),
                        replayed != null && "true".equals(replayed.getValue()));
            });
        } catch (SocketTimeoutException e) { // a connect timeout (ConnectTimeoutException) is one too
            HttpTimeoutException timeout = new HttpTimeoutException("no answer within " + call.timeout() + ": " + e.getMessage());
            timeout.initCause(e);
            throw timeout;
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

    @Override
    public void close() {
        blocking.close(CloseMode.IMMEDIATE);
    }

    private static Answer toAnswer(HttpResponse<String> response) {
        return new Answer(response.statusCode(), response.body() == null ? "" : response.body(),
                response.headers().firstValue("Idempotent-Replayed").map("true"::equals).orElse(false));
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
