package dev.kassa.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kassa.api.accounts.AccountRequest;
import dev.kassa.api.error.ApiException;
import dev.kassa.api.merchants.MerchantRequest;
import dev.kassa.api.payments.DepositRequest;
import dev.kassa.api.payments.PageRequest;
import dev.kassa.api.payments.PaymentRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every malformed request body named in docs/api.md's conventions is rejected with its own status, code and
 * param, before anything could reach Kafka; valid bodies come out normalised. The pipeline under test
 * is the one the HTTP layer runs: content type and bytes through {@link JsonBodies}, then
 * {@link RequestValidator}.
 */
class RequestValidationTest {

    private static final String JSON = "application/json";
    private static final String SOURCE = "acct_0192f2c4a1b07a3c8e5d6f7a8b9c0d1e";
    private static final String DESTINATION = "acct_0192f2c4a1b07a3c8e5d6f7a8b9c0d2f";

    /** The endpoints whose bodies are validated. */
    enum Endpoint {
        PAYMENT(RequestValidator::payment),
        DEPOSIT(RequestValidator::deposit),
        ACCOUNT(RequestValidator::account),
        MERCHANT(RequestValidator::merchant);

        final Function<ObjectNode, Object> validator;

        Endpoint(Function<ObjectNode, Object> validator) {
            this.validator = validator;
        }
    }

    private static Object validate(Endpoint endpoint, String contentType, byte[] body) {
        return endpoint.validator.apply(JsonBodies.parse(contentType, body));
    }

    private static Arguments reject(String name, Endpoint endpoint, String contentType, Object body,
                                    int status, String code, String param) {
        byte[] bytes = body instanceof byte[] raw ? raw : ((String) body).getBytes(StandardCharsets.UTF_8);
        return Arguments.of(name, endpoint, contentType, bytes, status, code, param);
    }

    private static Arguments payment(String name, String body, String code, String param) {
        return reject(name, Endpoint.PAYMENT, JSON, body, 400, code, param);
    }

    /** A valid payment body with one field replaced (or removed, when the value is null). */
    private static String paymentWith(String field, String json) {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        fields.put("amount", "1250");
        fields.put("currency", "\"usd\"");
        fields.put("source", "\"" + SOURCE + "\"");
        if (json == null) {
            fields.remove(field);
        } else {
            fields.put(field, json);
        }
        return fields.entrySet().stream().map(e -> "\"" + e.getKey() + "\": " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private static String quoted(String text) {
        return "\"" + text + "\"";
    }

    private static String metadataWithKeys(int count) {
        return IntStream.range(0, count).mapToObj(i -> "\"k" + i + "\": \"v\"").collect(Collectors.joining(", ", "{", "}"));
    }

    static Stream<Arguments> malformedRequests() {
        return Stream.of(
                // A card source: exactly type "card" and a tok_ token (docs/api.md, Card payments).
                reject("card source without type", Endpoint.PAYMENT, JSON, paymentWith("source", "{\"token\": \"tok_visa\"}"), 400, "parameter_missing", "source.type"),
                reject("card source of another type", Endpoint.PAYMENT, JSON, paymentWith("source", "{\"type\": \"bank\", \"token\": \"tok_visa\"}"), 400, "parameter_invalid", "source.type"),
                reject("card source type not a string", Endpoint.PAYMENT, JSON, paymentWith("source", "{\"type\": 1, \"token\": \"tok_visa\"}"), 400, "parameter_invalid", "source.type"),
                reject("card source without token", Endpoint.PAYMENT, JSON, paymentWith("source", "{\"type\": \"card\"}"), 400, "parameter_missing", "source.token"),
                reject("card source with a blank token", Endpoint.PAYMENT, JSON, paymentWith("source", "{\"type\": \"card\", \"token\": \"  \"}"), 400, "parameter_invalid", "source.token"),
                reject("card source with a token not tok_", Endpoint.PAYMENT, JSON, paymentWith("source", "{\"type\": \"card\", \"token\": \"4242424242424242\"}"), 400, "parameter_invalid", "source.token"),
                reject("card source with an extra field", Endpoint.PAYMENT, JSON, paymentWith("source", "{\"type\": \"card\", \"token\": \"tok_visa\", \"cvc\": \"1\"}"), 400, "unknown_parameter", "source.cvc"),
                reject("source an array", Endpoint.PAYMENT, JSON, paymentWith("source", "[\"tok_visa\"]"), 400, "parameter_invalid", "source"),
                // Media type: 415.
                reject("text/plain content type", Endpoint.PAYMENT, "text/plain", paymentWith("amount", "1"), 415, "unsupported_media_type", null),
                reject("form content type", Endpoint.PAYMENT, "application/x-www-form-urlencoded", "amount=1", 415, "unsupported_media_type", null),
                reject("no content type with a body", Endpoint.PAYMENT, null, paymentWith("amount", "1"), 415, "unsupported_media_type", null),
                reject("latin-1 charset", Endpoint.PAYMENT, "application/json; charset=iso-8859-1", paymentWith("amount", "1"), 415, "unsupported_media_type", null),
                // Malformed JSON: 400 invalid_json.
                payment("empty body declared as JSON", "", "invalid_json", null),
                payment("unterminated object", "{\"amount\": 1", "invalid_json", null),
                payment("trailing comma", "{\"amount\": 1,}", "invalid_json", null),
                payment("duplicate key", "{\"amount\": 1, \"amount\": 2, \"currency\": \"usd\"}", "invalid_json", null),
                payment("trailing garbage", paymentWith("amount", "1") + " x", "invalid_json", null),
                payment("two objects", "{}{}", "invalid_json", null),
                reject("invalid UTF-8", Endpoint.PAYMENT, JSON, new byte[] {'{', '"', 'a', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}, 400, "invalid_json", null),
                reject("UTF-16 body", Endpoint.PAYMENT, JSON, "{\"amount\": 1}".getBytes(StandardCharsets.UTF_16), 400, "invalid_json", null),
                payment("array body", "[1, 2]", "invalid_json", null),
                payment("string body", "\"pay me\"", "invalid_json", null),
                payment("null body", "null", "invalid_json", null),
                payment("comment", "{/* hi */ \"amount\": 1}", "invalid_json", null),
                payment("NaN amount", paymentWith("amount", "NaN"), "invalid_json", null),
                payment("leading zero", paymentWith("amount", "012"), "invalid_json", null),
                payment("single quotes", "{'amount': 1}", "invalid_json", null),
                payment("nesting too deep", paymentWith("metadata", "[".repeat(40) + "]".repeat(40)), "invalid_json", null),
                // Fields.
                payment("unknown field", paymentWith("amout", "1"), "unknown_parameter", "amout"),
                payment("missing amount", paymentWith("amount", null), "parameter_missing", "amount"),
                payment("null amount", paymentWith("amount", "null"), "parameter_missing", "amount"),
                payment("fractional amount", paymentWith("amount", "12.5"), "amount_invalid", "amount"),
                payment("exponent amount", paymentWith("amount", "1e3"), "amount_invalid", "amount"),
                payment("integral decimal amount", paymentWith("amount", "100.0"), "amount_invalid", "amount"),
                payment("string amount", paymentWith("amount", "\"100\""), "amount_invalid", "amount"),
                payment("boolean amount", paymentWith("amount", "true"), "amount_invalid", "amount"),
                payment("zero amount", paymentWith("amount", "0"), "amount_invalid", "amount"),
                payment("negative amount", paymentWith("amount", "-5"), "amount_invalid", "amount"),
                payment("amount over the maximum", paymentWith("amount", "100000000000"), "amount_invalid", "amount"),
                payment("amount beyond a long", paymentWith("amount", "99999999999999999999999"), "amount_invalid", "amount"),
                payment("missing currency", paymentWith("currency", null), "parameter_missing", "currency"),
                payment("unknown currency", paymentWith("currency", "\"xyz\""), "currency_invalid", "currency"),
                payment("two-letter currency", paymentWith("currency", "\"us\""), "currency_invalid", "currency"),
                payment("currency without minor unit", paymentWith("currency", "\"XAU\""), "currency_invalid", "currency"),
                payment("numeric currency", paymentWith("currency", "840"), "currency_invalid", "currency"),
                payment("missing source", paymentWith("source", null), "parameter_missing", "source"),
                payment("source not an account id", paymentWith("source", "\"acct_customer_1\""), "parameter_invalid", "source"),
                payment("external account as source", paymentWith("source", "\"acct_external_usd\""), "parameter_invalid", "source"),
                payment("numeric source", paymentWith("source", "123"), "parameter_invalid", "source"),
                payment("payment id as destination", paymentWith("destination", "\"pay_0192f2c4a1b07a3c8e5d6f7a8b9c0d1e\""), "parameter_invalid", "destination"),
                payment("destination equal to source", paymentWith("destination", quoted(SOURCE)), "parameter_invalid", "destination"),
                payment("description too long", paymentWith("description", quoted("x".repeat(1001))), "parameter_invalid", "description"),
                payment("numeric description", paymentWith("description", "42"), "parameter_invalid", "description"),
                payment("NUL in description", paymentWith("description", "\"a\\u0000b\""), "parameter_invalid", "description"),
                payment("lone surrogate in description", paymentWith("description", "\"a\\ud800b\""), "parameter_invalid", "description"),
                payment("metadata array", paymentWith("metadata", "[\"a\"]"), "metadata_invalid", "metadata"),
                payment("metadata with 51 keys", paymentWith("metadata", metadataWithKeys(51)), "metadata_invalid", "metadata"),
                payment("metadata key of 41 chars", paymentWith("metadata", "{" + quoted("k".repeat(41)) + ": \"v\"}"), "metadata_invalid", "metadata"),
                payment("metadata empty key", paymentWith("metadata", "{\"\": \"v\"}"), "metadata_invalid", "metadata"),
                payment("metadata value of 501 chars", paymentWith("metadata", "{\"k\": " + quoted("v".repeat(501)) + "}"), "metadata_invalid", "metadata"),
                payment("metadata numeric value", paymentWith("metadata", "{\"k\": 1}"), "metadata_invalid", "metadata"),
                payment("metadata nested value", paymentWith("metadata", "{\"k\": {\"a\": \"b\"}}"), "metadata_invalid", "metadata"),
                payment("metadata NUL value", paymentWith("metadata", "{\"k\": \"\\u0000\"}"), "metadata_invalid", "metadata"),
                // Other endpoints.
                reject("deposit names a currency", Endpoint.DEPOSIT, JSON, "{\"amount\": 100, \"currency\": \"usd\"}", 400, "unknown_parameter", "currency"),
                reject("deposit without amount", Endpoint.DEPOSIT, JSON, "{}", 400, "parameter_missing", "amount"),
                reject("deposit of a fraction", Endpoint.DEPOSIT, JSON, "{\"amount\": 0.5}", 400, "amount_invalid", "amount"),
                reject("account without currency", Endpoint.ACCOUNT, null, "", 400, "parameter_missing", "currency"),
                reject("account with a balance", Endpoint.ACCOUNT, JSON, "{\"currency\": \"usd\", \"balance\": 5}", 400, "unknown_parameter", "balance"),
                reject("account in a bad currency", Endpoint.ACCOUNT, JSON, "{\"currency\": \"usdollar\"}", 400, "currency_invalid", "currency"),
                reject("merchant without name", Endpoint.MERCHANT, JSON, "{\"currency\": \"usd\"}", 400, "parameter_missing", "name"),
                reject("merchant with blank name", Endpoint.MERCHANT, JSON, "{\"name\": \"  \"}", 400, "parameter_invalid", "name"),
                reject("merchant with a long name", Endpoint.MERCHANT, JSON, "{\"name\": " + quoted("n".repeat(201)) + "}", 400, "parameter_invalid", "name"),
                reject("merchant in a bad currency", Endpoint.MERCHANT, JSON, "{\"name\": \"Acme\", \"currency\": \"eur1\"}", 400, "currency_invalid", "currency"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedRequests")
    void malformedRequestIsRejectedWithItsCode(String name, Endpoint endpoint, String contentType, byte[] body,
                                               int status, String code, String param) {
        ApiException error = catchThrowableOfType(ApiException.class, () -> validate(endpoint, contentType, body));

        assertThat(error).as(name).isNotNull();
        assertThat(error.status()).as(name + ": " + error.getMessage()).isEqualTo(status);
        assertThat(error.code()).as(name + ": " + error.getMessage()).isEqualTo(code);
        assertThat(error.param()).as(name).isEqualTo(param);
        assertThat(error.getMessage()).as(name).isNotBlank().hasSizeLessThan(400);
    }

    @Test
    void validPaymentIsNormalised() {
        String body = "{\"amount\": 1250, \"currency\": \"USD\", \"source\": \"" + SOURCE + "\", \"destination\": \""
                + DESTINATION + "\", \"description\": \"order 42\", \"metadata\": {\"order_id\": \"42\"}}";

        PaymentRequest request = (PaymentRequest) validate(Endpoint.PAYMENT, JSON, body.getBytes(StandardCharsets.UTF_8));

        assertThat(request).isEqualTo(new PaymentRequest(1250, "usd", SOURCE, Optional.of(DESTINATION),
                Optional.of("order 42"), Map.of("order_id", "42")));
    }

    @Test
    void cardSourceIsReadAsItsToken() {
        String body = "{\"amount\": 1250, \"currency\": \"usd\", \"source\": {\"type\": \"card\", \"token\": \"tok_visa\"}}";

        PaymentRequest request = (PaymentRequest) validate(Endpoint.PAYMENT, JSON, body.getBytes(StandardCharsets.UTF_8));

        assertThat(request).isEqualTo(new PaymentRequest(1250, "usd", null, Optional.empty(), Optional.empty(), Map.of(),
                Optional.of("tok_visa")));
    }

    @Test
    void optionalPaymentFieldsMayBeAbsentOrNull() {
        String body = "{\"amount\": 99999999999, \"currency\": \"jPy\", \"source\": \"" + SOURCE
                + "\", \"destination\": null, \"description\": null, \"metadata\": null}";

        PaymentRequest request = (PaymentRequest) validate(Endpoint.PAYMENT, "Application/JSON; charset=\"UTF-8\"",
                body.getBytes(StandardCharsets.UTF_8));

        assertThat(request).isEqualTo(new PaymentRequest(99_999_999_999L, "jpy", SOURCE, Optional.empty(),
                Optional.empty(), Map.of()));
    }

    @Test
    void boundaryValuesAreAccepted() {
        String metadata = IntStream.range(0, 50).mapToObj(i -> quoted(String.format("%040d", i)) + ": " + quoted("v".repeat(500)))
                .collect(Collectors.joining(", ", "{", "}"));
        String body = paymentWith("amount", "1").replace("}", ", \"description\": " + quoted("d".repeat(1000))
                + ", \"metadata\": " + metadata + "}");

        PaymentRequest request = (PaymentRequest) validate(Endpoint.PAYMENT, JSON, body.getBytes(StandardCharsets.UTF_8));

        assertThat(request.amount()).isEqualTo(1);
        assertThat(request.metadata()).hasSize(50);
        assertThat(request.description()).hasValueSatisfying(d -> assertThat(d).hasSize(1000));
    }

    @Test
    void nonAsciiTextCountsCharactersNotBytes() {
        String body = paymentWith("description", quoted("€".repeat(1000)));

        PaymentRequest request = (PaymentRequest) validate(Endpoint.PAYMENT, JSON, body.getBytes(StandardCharsets.UTF_8));

        assertThat(request.description()).hasValue("€".repeat(1000));
    }

    @Test
    void otherBodiesAreNormalised() {
        assertThat(validate(Endpoint.ACCOUNT, JSON, "{\"currency\": \"EUR\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new AccountRequest("eur"));
        assertThat(validate(Endpoint.DEPOSIT, JSON, "{\"amount\": 10000}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new DepositRequest(10_000, Optional.empty(), Map.of()));
        assertThat(validate(Endpoint.MERCHANT, JSON, "{\"name\": \"Acme\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new MerchantRequest("Acme", "usd"));
        assertThat(validate(Endpoint.MERCHANT, JSON, "{\"name\": \"Acme\", \"currency\": \"KWD\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new MerchantRequest("Acme", "kwd"));
    }

    static Stream<Arguments> malformedPageQueries() {
        return Stream.of(
                Arguments.of(Map.of("limit", List.of("0")), "parameter_invalid", "limit"),
                Arguments.of(Map.of("limit", List.of("101")), "parameter_invalid", "limit"),
                Arguments.of(Map.of("limit", List.of("abc")), "parameter_invalid", "limit"),
                Arguments.of(Map.of("limit", List.of("1.5")), "parameter_invalid", "limit"),
                Arguments.of(Map.of("limit", List.of("-1")), "parameter_invalid", "limit"),
                Arguments.of(Map.of("limit", List.of("")), "parameter_invalid", "limit"),
                Arguments.of(Map.of("limit", List.of("10", "20")), "parameter_invalid", "limit"),
                Arguments.of(Map.of("starting_after", List.of("pay_123")), "parameter_invalid", "starting_after"),
                Arguments.of(Map.of("starting_after", List.of(SOURCE)), "parameter_invalid", "starting_after"),
                Arguments.of(Map.of("ending_before", List.of("x")), "unknown_parameter", "ending_before"));
    }

    @ParameterizedTest
    @MethodSource("malformedPageQueries")
    void malformedPageQueryIsRejected(Map<String, List<String>> query, String code, String param) {
        assertThatThrownBy(() -> RequestValidator.page(query))
                .isInstanceOfSatisfying(ApiException.class, error -> {
                    assertThat(error.status()).isEqualTo(400);
                    assertThat(error.code()).isEqualTo(code);
                    assertThat(error.param()).isEqualTo(param);
                });
    }

    @Test
    void pageQueryDefaultsToTwentyNewest() {
        assertThat(RequestValidator.page(Map.of())).isEqualTo(new PageRequest(20, Optional.empty()));
        String after = "pay_0192f2c4a1b07a3c8e5d6f7a8b9c0d1e";
        assertThat(RequestValidator.page(Map.of("limit", List.of("100"), "starting_after", List.of(after))))
                .isEqualTo(new PageRequest(100, Optional.of(after)));
        assertThat(RequestValidator.page(Map.of("limit", List.of("1")))).isEqualTo(new PageRequest(1, Optional.empty()));
    }
}
