package dev.kassa.processor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@link CardProcessor} over HTTP ({@link HttpClient}, HTTP/1.1) against a processor shaped like the
 * sandbox (docs/processor-sim.md). Every creation's outcome is classified: 201 → charged or refunded,
 * 402 with a charge → declined, any other 4xx → {@link Rejected} with the processor's code; a 5xx, a
 * timeout, a dropped connection or an unreadable answer → {@link Unknown}, to be retried with the same
 * key. It never retries by itself: the caller owns the retry policy and its bounds.
 */
public final class HttpCardProcessor implements CardProcessor {

    private static final ObjectMapper JSON = ProcessorJson.mapper();
    private static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    private static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private final URI baseUri;
    private final String apiKey;
    private final Duration requestTimeout;
    private final HttpClient client;

    /**
     * @param baseUri        the processor's address, e.g. {@code http://127.0.0.1:8090}
     * @param apiKey         the bearer key the processor expects
     * @param requestTimeout how long one request may take before its outcome is {@link Unknown}
     * @param connectTimeout how long opening a connection may take
     */
    public HttpCardProcessor(URI baseUri, String apiKey, Duration requestTimeout, Duration connectTimeout) {
        this.baseUri = Objects.requireNonNull(baseUri, "baseUri");
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        this.requestTimeout = requirePositive(requestTimeout, "requestTimeout");
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(requirePositive(connectTimeout, "connectTimeout"))
                .build();
    }

    @Override
    public ChargeOutcome createCharge(ChargeRequest request, String idempotencyKey) {
        ObjectNode body = JSON.createObjectNode()
                .put("amount", request.amount())
                .put("currency", request.currency())
                .put("card_token", request.cardToken())
                .put("reference", request.reference());
        Exchange exchange = send(post("/v1/charges", body, idempotencyKey));
        if (exchange.failure() != null) {
            return exchange.failure();
        }
        if (exchange.status() == 201 || exchange.status() == 402) {
            Optional<Charge> charge = read(exchange.body(), Charge.class);
            if (charge.isEmpty()) {
                return unreadable(exchange);
            }
            return exchange.status() == 201
                    ? new ChargeOutcome.Charged(charge.get(), exchange.replayed())
                    : new ChargeOutcome.Declined(charge.get(), exchange.replayed());
        }
        return classifyError(exchange);
    }

    @Override
    public RefundOutcome refund(String chargeId, OptionalLong amount, String idempotencyKey) {
        ObjectNode body = JSON.createObjectNode();
        amount.ifPresent(value -> body.put("amount", value));
        Exchange exchange = send(post("/v1/charges/" + encode(chargeId) + "/refunds", body, idempotencyKey));
        if (exchange.failure() != null) {
            return exchange.failure();
        }
        if (exchange.status() == 201) {
            return read(exchange.body(), Refund.class)
                    .<RefundOutcome>map(refund -> new RefundOutcome.Refunded(refund, exchange.replayed()))
                    .orElseGet(() -> unreadable(exchange));
        }
        // classifyError answers only Rejected or Unknown, which are refund outcomes too.
        return (RefundOutcome) classifyError(exchange);
    }

    @Override
    public Optional<Charge> charge(String chargeId) {
        Exchange exchange = send(get("/v1/charges/" + encode(chargeId)));
        if (exchange.status() == 404) {
            return Optional.empty();
        }
        return Optional.of(readOrThrow(requireOk(exchange, "charge " + chargeId), Charge.class));
    }

    @Override
    public List<Charge> chargesByReference(String reference) {
        Exchange exchange = send(get("/v1/charges?reference=" + encode(reference)));
        JsonNode list = readOrThrow(requireOk(exchange, "charges of " + reference), JsonNode.class);
        List<Charge> charges = new ArrayList<>();
        for (JsonNode charge : list.path("data")) {
            charges.add(JSON.convertValue(charge, Charge.class));
        }
        return List.copyOf(charges);
    }

    @Override
    public String settlementReport(LocalDate day) {
        Exchange exchange = send(get("/v1/settlements/" + day + ".csv"));
        return requireOk(exchange, "settlement report of " + day);
    }

    private record Exchange(int status, String body, boolean replayed, Unknown failure) {
    }

    private Exchange send(HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            boolean replayed = response.headers().firstValue(REPLAYED_HEADER).map("true"::equals).orElse(false);
            return new Exchange(response.statusCode(), response.body(), replayed, null);
        } catch (HttpTimeoutException e) {
            return new Exchange(0, "", false, new Unknown("no answer within " + requestTimeout + ": " + e.getMessage()));
        } catch (IOException e) {
            return new Exchange(0, "", false, new Unknown("the connection failed without an answer: " + e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Exchange(0, "", false, new Unknown("interrupted while waiting for the processor"));
        }
    }

    /** 5xx and 429 may succeed later with the same key; any other 4xx is the processor's final word. */
    private static ChargeOutcome classifyError(Exchange exchange) {
        if (exchange.status() >= 500 || exchange.status() == 429) {
            return new Unknown("the processor answered " + exchange.status() + ": " + errorCode(exchange.body()));
        }
        if (exchange.status() >= 400) {
            JsonNode error = read(exchange.body(), JsonNode.class).map(json -> json.path("error")).orElse(null);
            if (error != null && error.hasNonNull("code")) {
                return new Rejected(exchange.status(), error.get("code").asText(), error.path("message").asText(""));
            }
        }
        return unreadable(exchange);
    }

    private static Unknown unreadable(Exchange exchange) {
        return new Unknown("the processor answered " + exchange.status() + " with an unreadable body");
    }

    private static String requireOk(Exchange exchange, String what) {
        if (exchange.failure() != null) {
            throw new CardProcessorException(what + ": " + exchange.failure().reason(), 0, null);
        }
        if (exchange.status() != 200) {
            throw new CardProcessorException(what + ": the processor answered " + exchange.status() + " "
                    + errorCode(exchange.body()), exchange.status(), null);
        }
        return exchange.body();
    }

    private static String errorCode(String body) {
        return read(body, JsonNode.class).map(json -> json.path("error").path("code").asText("")).orElse("");
    }

    private static <T> Optional<T> read(String body, Class<T> type) {
        try {
            return Optional.ofNullable(JSON.readValue(body, type));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static <T> T readOrThrow(String body, Class<T> type) {
        return read(body, type).orElseThrow(
                () -> new CardProcessorException("the processor's answer is not a readable " + type.getSimpleName(), 200, null));
    }

    private HttpRequest post(String path, JsonNode body, String idempotencyKey) {
        return request(path).header(IDEMPOTENCY_HEADER, Objects.requireNonNull(idempotencyKey, "idempotencyKey"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
    }

    private HttpRequest get(String path) {
        return request(path).GET().build();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(baseUri.resolve(path))
                .timeout(requestTimeout)
                .header("Authorization", "Bearer " + apiKey);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static Duration requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
        return duration;
    }
}
