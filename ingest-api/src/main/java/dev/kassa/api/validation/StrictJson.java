package dev.kassa.api.validation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kassa.api.error.ApiException;
import dev.kassa.api.error.ErrorCode;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Parses request bodies strictly: UTF-8 only (checked before Jackson sees a byte, because Jackson
 * would otherwise guess UTF-16 or UTF-32), duplicate keys, trailing tokens, comments, {@code NaN} and
 * leading zeros rejected, nesting bounded. The result is a tree that {@link RequestValidator} then
 * reads field by field; request bodies are never bound to classes, so nothing is coerced.
 */
public final class StrictJson {

    /** Deeper documents are rejected; no Kassa request nests more than two levels. */
    public static final int NESTING_DEPTH_MAX = 16;
    /** Longest number literal accepted; the largest valid amount has 11 digits. */
    public static final int NUMBER_LENGTH_MAX = 40;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(NESTING_DEPTH_MAX)
                            .maxNumberLength(NUMBER_LENGTH_MAX)
                            .build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private StrictJson() {
    }

    /**
     * Parses {@code body} as one JSON object.
     *
     * @throws ApiException {@code 400 invalid_json} for anything but exactly one well-formed UTF-8 JSON object
     */
    public static ObjectNode parseObject(byte[] body) {
        if (body.length == 0) {
            throw invalid("the request body is empty; send a JSON object");
        }
        JsonNode tree = parse(decodeUtf8(body));
        if (tree == null || tree.isMissingNode()) {
            throw invalid("the request body is empty; send a JSON object");
        }
        if (!tree.isObject()) {
            throw invalid("the request body must be a JSON object, not " + describe(tree));
        }
        return (ObjectNode) tree;
    }

    private static String decodeUtf8(byte[] body) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw invalid("the request body is not valid UTF-8");
        }
    }

    private static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            // The parser's own message says what and where (line, column); it never echoes much input.
            throw invalid("the request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static String describe(JsonNode tree) {
        return switch (tree.getNodeType()) {
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> tree.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static ApiException invalid(String message) {
        return new ApiException(ErrorCode.INVALID_JSON, message);
    }
}
