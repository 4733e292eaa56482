package dev.kassa.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kassa.api.error.ApiException;
import dev.kassa.api.error.ErrorCode;
import dev.kassa.model.Currencies;
import dev.kassa.model.Ids;
import dev.kassa.model.Money;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Field-by-field readers of a parsed request body. Each reader checks one field's JSON type and
 * bounds and throws the matching {@link ApiException} naming the field in {@code param}; nothing is
 * coerced (a string is never read as a number, nor a number as a string). A JSON {@code null} counts
 * as an absent field.
 */
final class JsonFields {

    static final int METADATA_KEYS_MAX = 50;
    static final int METADATA_KEY_LENGTH_MAX = 40;
    static final int METADATA_VALUE_LENGTH_MAX = 500;

    private JsonFields() {
    }

    /** Rejects the first field of {@code body}, in document order, that is not in {@code known}. */
    static void rejectUnknown(ObjectNode body, Set<String> known) {
        Iterator<String> names = body.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new ApiException(ErrorCode.UNKNOWN_PARAMETER,
                        "unknown parameter: " + abbreviate(name) + "; accepted: " + String.join(", ", known.stream().sorted().toList()),
                        abbreviate(name));
            }
        }
    }

    static Optional<JsonNode> optional(ObjectNode body, String name) {
        JsonNode node = body.get(name);
        return node == null || node.isNull() ? Optional.empty() : Optional.of(node);
    }

    static JsonNode required(ObjectNode body, String name) {
        return optional(body, name).orElseThrow(() ->
                new ApiException(ErrorCode.PARAMETER_MISSING, "missing required parameter: " + name, name));
    }

    /** An amount: a JSON integer literal within 1..{@link Money#AMOUNT_MAX} minor units. */
    static long amount(JsonNode node, String param) {
        if (!node.isIntegralNumber() || !node.canConvertToLong() || !Money.isValidAmount(node.longValue())) {
            throw new ApiException(ErrorCode.AMOUNT_INVALID, param + " must be an integer number of minor units"
                    + " between 1 and " + Money.AMOUNT_MAX + ", written without a fraction, exponent or quotes", param);
        }
        return node.longValue();
    }

    /** A currency: a string naming an ISO 4217 code with a minor unit, in any case; returned in lower case. */
    static String currency(JsonNode node, String param) {
        Optional<String> canonical = node.isTextual() ? Currencies.normalize(node.textValue()) : Optional.empty();
        return canonical.orElseThrow(() -> new ApiException(ErrorCode.CURRENCY_INVALID,
                param + " must be a three-letter ISO 4217 currency code with a minor unit, such as \"usd\"", param));
    }

    /** An account id: a string of the form {@code acct_} followed by 32 lower-case hex digits. */
    static String accountId(JsonNode node, String param) {
        if (!node.isTextual() || !Ids.isValid(Ids.ACCOUNT, node.textValue())) {
            throw new ApiException(ErrorCode.PARAMETER_INVALID,
                    param + " must be an account id (acct_ followed by 32 hex digits)", param);
        }
        return node.textValue();
    }

    /** A text: a string of at most {@code maxLength} characters that Postgres can store. */
    static String text(JsonNode node, String param, int maxLength) {
        if (!node.isTextual()) {
            throw new ApiException(ErrorCode.PARAMETER_INVALID, param + " must be a string", param);
        }
        String text = node.textValue();
        if (Texts.length(text) > maxLength) {
            throw new ApiException(ErrorCode.PARAMETER_INVALID,
                    param + " must be at most " + maxLength + " characters, not " + Texts.length(text), param);
        }
        if (!Texts.isStorable(text)) {
            throw new ApiException(ErrorCode.PARAMETER_INVALID,
                    param + " must not contain NUL characters or unpaired surrogates", param);
        }
        return text;
    }

    /** Metadata: an object of at most 50 string values, keys of 1–40 and values of at most 500 characters. */
    static Map<String, String> metadata(JsonNode node, String param) {
        if (!node.isObject()) {
            throw metadataInvalid(param, param + " must be an object of string keys and string values");
        }
        if (node.size() > METADATA_KEYS_MAX) {
            throw metadataInvalid(param, param + " may have at most " + METADATA_KEYS_MAX + " keys, not " + node.size());
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            metadata.put(metadataKey(field.getKey(), param), metadataValue(field.getKey(), field.getValue(), param));
        }
        return metadata;
    }

    private static String metadataKey(String key, String param) {
        if (key.isEmpty() || Texts.length(key) > METADATA_KEY_LENGTH_MAX || !Texts.isStorable(key)) {
            throw metadataInvalid(param, param + " keys must be 1-" + METADATA_KEY_LENGTH_MAX
                    + " characters without NUL: " + abbreviate(key));
        }
        return key;
    }

    private static String metadataValue(String key, JsonNode value, String param) {
        if (!value.isTextual()) {
            throw metadataInvalid(param, param + " value of " + abbreviate(key) + " must be a string");
        }
        String text = value.textValue();
        if (Texts.length(text) > METADATA_VALUE_LENGTH_MAX || !Texts.isStorable(text)) {
            throw metadataInvalid(param, param + " value of " + abbreviate(key) + " must be at most "
                    + METADATA_VALUE_LENGTH_MAX + " characters without NUL");
        }
        return text;
    }

    private static ApiException metadataInvalid(String param, String message) {
        return new ApiException(ErrorCode.METADATA_INVALID, message, param);
    }

    /** Cuts client-supplied names before echoing them, so an error never repeats a large input. */
    static String abbreviate(String value) {
        return value.length() <= 64 ? value : value.substring(0, 64) + "…";
    }
}
