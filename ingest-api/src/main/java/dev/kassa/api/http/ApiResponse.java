package dev.kassa.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Arrays;

/**
 * A finished answer: status code and JSON body bytes. It is what the idempotency guard will store and
 * replay byte for byte, so it is built before anything is written to the wire.
 */
public record ApiResponse(int status, byte[] body, boolean replayed) {

    private static final ObjectMapper WRITER = JsonMapper.builder().build();

    public ApiResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        body = body.clone();
    }

    /** A first answer, not a replay. */
    public ApiResponse(int status, byte[] body) {
        this(status, body, false);
    }

    /** The same status and body, marked as replayed from the idempotency store. */
    public ApiResponse asReplay() {
        return new ApiResponse(status, body, true);
    }

    /** A response with {@code json} as its body. */
    public static ApiResponse json(int status, JsonNode json) {
        try {
            return new ApiResponse(status, WRITER.writeValueAsBytes(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree", e);
        }
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ApiResponse that && status == that.status && replayed == that.replayed
                && Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * status + Boolean.hashCode(replayed)) + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        // Not the body: it may hold a secret key shown once.
        return "ApiResponse[status=" + status + ", body=" + body.length + " bytes" + (replayed ? ", replayed" : "") + "]";
    }
}
