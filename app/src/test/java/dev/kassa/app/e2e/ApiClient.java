package dev.kassa.app.e2e;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A small client of Kassa's HTTP API for the end-to-end tests: typed calls for what the tests set up
 * (merchants, accounts, deposits, payments, reads) and {@link #send(Call)} for any request at all,
 * malformed ones included. Payments, deposits and reads return what the API answered, for the tests
 * to judge; only the set-up steps that must succeed ({@code createMerchant}, {@code openAccount},
 * {@code balance}) fail on any other answer.
 */
final class ApiClient {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String JSON_MEDIA_TYPE = "application/json";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Well above the gateway's outcome wait, so the API always answers before the client gives up. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** A merchant as the admin endpoint created it: its id, its secret key and its own account. */
    record Merchant(String id, String secretKey, String ownAccount) {
        @Override
        public String toString() {
            return "Merchant[" + id + "]"; // never the secret key
        }
    }

    /** One HTTP request to send; each method returns a copy with one more part. */
    record Call(String method, String path, List<String[]> headers, byte[] body) {

        Call header(String name, String value) {
            List<String[]> more = new ArrayList<>(headers);
            more.add(new String[] {name, value});
            return new Call(method, path, List.copyOf(more), body);
        }

        Call bearer(String token) {
            return header("Authorization", "Bearer " + token);
        }

        Call idempotencyKey(String key) {
            return header("Idempotency-Key", key);
        }

        /** {@code value} written as JSON, with {@code Content-Type: application/json}. */
        Call json(Object value) {
            try {
                return body(JSON_MEDIA_TYPE, JSON.writeValueAsBytes(value));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("cannot write a request body as JSON: " + value, e);
            }
        }

        /** {@code bytes} as the body, with the given {@code Content-Type}, or none when it is null. */
        Call body(String contentType, byte[] bytes) {
            Call withBody = new Call(method, path, headers, bytes.clone());
            return contentType == null ? withBody : withBody.header("Content-Type", contentType);
        }
    }

    private final HttpClient http;
    /** The operators' paths, which the API serves on its management listener only (docs/api.md). */
    private static final List<String> MANAGEMENT_PATHS = List.of("/admin/", "/health", "/ready", "/metrics");

    private final String baseUrl;
    private final String managementUrl;
    private final String adminToken;

    /** A client of a listener that has no management paths, such as the topology's state endpoint. */
    ApiClient(String baseUrl, String adminToken) {
        this(baseUrl, baseUrl, adminToken);
    }

    /** A client of an API: {@code /admin}, {@code /health}, {@code /ready} and {@code /metrics} go to {@code managementUrl}. */
    ApiClient(String baseUrl, String managementUrl, String adminToken) {
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.managementUrl = Objects.requireNonNull(managementUrl, "managementUrl");
        this.adminToken = Objects.requireNonNull(adminToken, "adminToken");
        // HTTP/1.1: the API speaks nothing else, and HTTP/2's upgrade attempt would only add noise.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
    }

    static Call call(String method, String path) {
        return new Call(method, path, List.of(), null);
    }

    /** A fresh, valid idempotency key. */
    static String newIdempotencyKey() {
        return "e2e-" + UUID.randomUUID();
    }

    /** Sends {@code call} as it is and returns the answer, whatever its status. */
    ApiResponse send(Call call) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(urlOf(call.path())))
                .timeout(REQUEST_TIMEOUT)
                .method(call.method(), call.body() == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(call.body()));
        call.headers().forEach(header -> request.header(header[0], header[1]));
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return ApiResponse.of(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send " + call.method() + " " + call.path(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted sending " + call.method() + " " + call.path(), e);
        }
    }

    /** Where {@code path} is served: the management listener for the operators' paths, else the API. */
    private String urlOf(String path) {
        return (MANAGEMENT_PATHS.stream().anyMatch(path::startsWith) ? managementUrl : baseUrl) + path;
    }

    /** Sends {@code call} to the public listener whatever its path, e.g. to see it refused there. */
    ApiResponse sendPublic(Call call) {
        return new ApiClient(baseUrl, baseUrl, adminToken).send(call);
    }

    /**
     * Sends {@code call} over a plain socket as HTTP/1.1, with header values written as UTF-8 bytes:
     * for requests that java.net.http will not send as they are (it replaces non-ASCII characters in
     * header values with {@code ?}). The body comes back by {@code Content-Length}, or up to the end
     * of the connection, which the request asks the server to close.
     */
    ApiResponse sendRaw(Call call) {
        URI base = URI.create(baseUrl);
        byte[] body = call.body() == null ? new byte[0] : call.body();
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(utf8(call.method() + " " + call.path() + " HTTP/1.1\r\nHost: " + base.getAuthority()
                + "\r\nConnection: close\r\nContent-Length: " + body.length + "\r\n"));
        call.headers().forEach(header -> request.writeBytes(utf8(header[0] + ": " + header[1] + "\r\n")));
        request.writeBytes(utf8("\r\n"));
        request.writeBytes(body);
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout((int) REQUEST_TIMEOUT.toMillis());
            socket.getOutputStream().write(request.toByteArray());
            socket.getOutputStream().flush();
            return parseRaw(socket.getInputStream().readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send " + call.method() + " " + call.path() + " over a socket", e);
        }
    }

    private static ApiResponse parseRaw(byte[] response) {
        String text = new String(response, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            throw new IllegalStateException("not an HTTP response: " + text);
        }
        String[] lines = text.substring(0, headEnd).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).trim(), name -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        if (headers.getOrDefault("Transfer-Encoding", List.of()).contains("chunked")) {
            throw new IllegalStateException("a chunked response is not supported by sendRaw: " + text);
        }
        byte[] body = Arrays.copyOfRange(response, headEnd + 4, response.length);
        return ApiResponse.of(status, body, HttpHeaders.of(headers, (name, value) -> true));
    }

    /** Creates a merchant (its own account in USD) through the admin endpoint; fails unless the API answers 201. */
    Merchant createMerchant(String name) {
        return createMerchant(name, newIdempotencyKey());
    }

    /** Creates a merchant with an idempotency key of the caller's, which also keys its own account's opening. */
    Merchant createMerchant(String name, String idempotencyKey) {
        ObjectNode body = JSON.createObjectNode().put("name", name).put("currency", "usd");
        ApiResponse created = send(call("POST", "/admin/merchants").bearer(adminToken)
                .idempotencyKey(idempotencyKey).json(body)).expectStatus(201);
        return new Merchant(created.id(), created.body().path("secret_key").asText(),
                created.body().path("account").asText());
    }

    /** Opens an account of {@code merchant}; fails unless the API answers 201. Returns its id. */
    String openAccount(Merchant merchant, String currency) {
        return openAccount(merchant, currency, newIdempotencyKey());
    }

    String openAccount(Merchant merchant, String currency, String idempotencyKey) {
        return send(call("POST", "/v1/accounts").bearer(merchant.secretKey()).idempotencyKey(idempotencyKey)
                .json(JSON.createObjectNode().put("currency", currency))).expectStatus(201).id();
    }

    ApiResponse deposit(Merchant merchant, String accountId, long amount) {
        return deposit(merchant, accountId, amount, newIdempotencyKey());
    }

    ApiResponse deposit(Merchant merchant, String accountId, long amount, String idempotencyKey) {
        return send(call("POST", "/v1/accounts/" + accountId + "/deposits").bearer(merchant.secretKey())
                .idempotencyKey(idempotencyKey).json(JSON.createObjectNode().put("amount", amount)));
    }

    /** A payment body; {@code destination} may be null for the merchant's own account. */
    static ObjectNode paymentBody(long amount, String currency, String source, String destination) {
        ObjectNode body = JSON.createObjectNode().put("amount", amount).put("currency", currency).put("source", source);
        if (destination != null) {
            body.put("destination", destination);
        }
        return body;
    }

    ApiResponse pay(Merchant merchant, long amount, String currency, String source, String destination) {
        return pay(merchant, paymentBody(amount, currency, source, destination));
    }

    ApiResponse pay(Merchant merchant, ObjectNode body) {
        return send(call("POST", "/v1/payments").bearer(merchant.secretKey()).idempotencyKey(newIdempotencyKey())
                .json(body));
    }

    /** A payment with the caller's idempotency key, for replay tests. */
    ApiResponse pay(Merchant merchant, ObjectNode body, String idempotencyKey) {
        return send(call("POST", "/v1/payments").bearer(merchant.secretKey()).idempotencyKey(idempotencyKey)
                .json(body));
    }

    /** {@code POST /v1/payments/{id}/refunds} with {@code amount} (null: the rest) and the caller's key. */
    ApiResponse refund(Merchant merchant, String paymentId, Long amount, String idempotencyKey) {
        ObjectNode body = JSON.createObjectNode();
        if (amount != null) {
            body.put("amount", amount);
        }
        return send(call("POST", "/v1/payments/" + paymentId + "/refunds").bearer(merchant.secretKey())
                .idempotencyKey(idempotencyKey).json(body));
    }

    ApiResponse getRefund(Merchant merchant, String refundId) {
        return send(call("GET", "/v1/refunds/" + refundId).bearer(merchant.secretKey()));
    }

    ApiResponse listRefunds(Merchant merchant, String paymentId) {
        return send(call("GET", "/v1/payments/" + paymentId + "/refunds").bearer(merchant.secretKey()));
    }

    /** {@code GET /metrics}: the Prometheus text; fails unless the API answers 200. */
    String metrics() {
        return send(call("GET", "/metrics")).expectStatus(200).rawBody();
    }

    /** {@code GET /ready}, whatever it answers. */
    ApiResponse ready() {
        return send(call("GET", "/ready"));
    }

    ApiResponse getPayment(Merchant merchant, String paymentId) {
        return send(call("GET", "/v1/payments/" + paymentId).bearer(merchant.secretKey()));
    }

    /** {@code GET /v1/payments}, with {@code query} (e.g. {@code limit=2}) when not empty. */
    ApiResponse listPayments(Merchant merchant, String query) {
        return send(call("GET", "/v1/payments" + (query.isEmpty() ? "" : "?" + query)).bearer(merchant.secretKey()));
    }

    ApiResponse getAccount(Merchant merchant, String accountId) {
        return send(call("GET", "/v1/accounts/" + accountId).bearer(merchant.secretKey()));
    }

    /** The balance the API reports for the account; fails unless it answers 200. */
    long balance(Merchant merchant, String accountId) {
        return getAccount(merchant, accountId).expectStatus(200).body().path("balance").asLong();
    }

    /** A well-formed id with {@code prefix} (e.g. {@code acct_}) that names nothing: 32 random hex digits. */
    static String unknownId(String prefix) {
        byte[] random = new byte[16];
        ThreadLocalRandom.current().nextBytes(random);
        return prefix + HexFormat.of().formatHex(random);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
