package dev.kassa.processor.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kassa.model.Currencies;
import dev.kassa.processor.ChargeRequest;
import dev.kassa.processor.ProcessorJson;
import java.io.IOException;
import java.util.Iterator;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns request bodies and headers into valid requests or a {@code 400} naming the field
 * (docs/processor-sim.md): charge amounts are whole minor units within [{@value #AMOUNT_MIN}, {@value #AMOUNT_MAX}] (refunds from 1),
 * currencies usd, eur or gbp, card tokens from {@link TestCards}, references short identifiers. Pure:
 * nothing is stored before a request has passed.
 */
final class ChargeValidation {

    static final long AMOUNT_MIN = 50;
    static final long AMOUNT_MAX = 99_999_999;
    /** A refund may return as little as one minor unit of what is left. */
    static final long REFUND_AMOUNT_MIN = 1;
    static final Set<String> CURRENCIES = Set.of("usd", "eur", "gbp");
    static final int IDEMPOTENCY_KEY_LENGTH_MAX = 255;
    static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Set<String> CHARGE_FIELDS = Set.of("amount", "currency", "card_token", "reference");
    private static final Set<String> REFUND_FIELDS = Set.of("amount");

    private ChargeValidation() {
    }

    /** The {@code Idempotency-Key} header, required on every creation. */
    static String idempotencyKey(String header) {
        if (header == null || header.isBlank()) {
            throw SandboxException.badRequest("idempotency_key_missing",
                    "the " + IDEMPOTENCY_HEADER + " header is required on every creation");
        }
        if (header.length() > IDEMPOTENCY_KEY_LENGTH_MAX) {
            throw SandboxException.badRequest("parameter_invalid",
                    IDEMPOTENCY_HEADER + " is at most " + IDEMPOTENCY_KEY_LENGTH_MAX + " characters");
        }
        return header;
    }

    /** The body of {@code POST /v1/charges}. */
    static ChargeRequest charge(byte[] body) {
        JsonNode json = object(body, false);
        requireKnownFields(json, CHARGE_FIELDS);
        long amount = amount(json.get("amount"), AMOUNT_MIN);
        String currency = currency(text(json, "currency"));
        String token = text(json, "card_token");
        if (!token.startsWith("tok_")) {
            throw SandboxException.badRequest("parameter_invalid", "card_token must be a card token (tok_...); got " + token);
        }
        if (TestCards.behaviour(token).isEmpty()) {
            throw SandboxException.badRequest("unknown_card_token", "card_token " + token + " is not a sandbox test card");
        }
        String reference = text(json, "reference");
        if (!REFERENCE.matcher(reference).matches()) {
            throw SandboxException.badRequest("parameter_invalid",
                    "reference must be 1 to 64 letters, digits, '_' or '-'; got " + reference);
        }
        return new ChargeRequest(amount, currency, token, reference);
    }

    /** The body of {@code POST /v1/charges/{id}/refunds}: empty, {@code {}} or {@code {"amount": n}}. */
    static OptionalLong refundAmount(byte[] body) {
        JsonNode json = object(body, true);
        requireKnownFields(json, REFUND_FIELDS);
        JsonNode amount = json.get("amount");
        return amount == null || amount.isNull() ? OptionalLong.empty() : OptionalLong.of(amount(amount, REFUND_AMOUNT_MIN));
    }

    private static JsonNode object(byte[] body, boolean emptyAllowed) {
        if (body.length == 0 && emptyAllowed) {
            return ProcessorJson.mapper().createObjectNode();
        }
        JsonNode json;
        try {
            json = ProcessorJson.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            throw SandboxException.badRequest("invalid_json", "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw SandboxException.badRequest("invalid_json", "the body cannot be read as JSON");
        }
        if (json == null || !json.isObject()) {
            throw SandboxException.badRequest("invalid_json", "the body must be a JSON object");
        }
        return json;
    }

    private static void requireKnownFields(JsonNode json, Set<String> known) {
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw SandboxException.badRequest("unknown_field", name + " is not a field of this request");
            }
        }
    }

    private static long amount(JsonNode amount, long min) {
        if (amount == null || amount.isNull()) {
            throw SandboxException.badRequest("parameter_missing", "amount is required (minor units)");
        }
        if (!amount.isIntegralNumber() || !amount.canConvertToLong()) {
            throw SandboxException.badRequest("parameter_invalid", "amount must be a whole number of minor units; got " + amount);
        }
        long value = amount.longValue();
        if (value < min || value > AMOUNT_MAX) {
            throw SandboxException.badRequest("amount_out_of_range",
                    "amount must be between " + min + " and " + AMOUNT_MAX + " minor units; got " + value);
        }
        return value;
    }

    private static String currency(String code) {
        String canonical = Currencies.normalize(code).orElseThrow(() -> SandboxException.badRequest(
                "parameter_invalid", "currency must be an ISO 4217 code such as usd; got " + code));
        if (!CURRENCIES.contains(canonical)) {
            throw SandboxException.badRequest("currency_not_supported",
                    "currency " + canonical + " is not supported; the sandbox takes usd, eur and gbp");
        }
        return canonical;
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            throw SandboxException.badRequest("parameter_missing", field + " is required");
        }
        if (!value.isTextual()) {
            throw SandboxException.badRequest("parameter_invalid", field + " must be a string; got " + value);
        }
        return value.textValue();
    }
}
