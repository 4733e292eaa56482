package dev.kassa.app.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;

/**
 * What the API answered: the status, the body parsed as JSON ({@link MissingNode} when it is not
 * JSON) and as raw text, and the headers. {@link #toString()} shows status and body, so that an
 * assertion message says what came back.
 */
record ApiResponse(int status, JsonNode body, String rawBody, HttpHeaders headers) {

    static ApiResponse of(int status, byte[] body, HttpHeaders headers) {
        String raw = new String(body, StandardCharsets.UTF_8);
        JsonNode json;
        try {
            json = body.length == 0 ? MissingNode.getInstance() : ApiClient.JSON.readTree(body);
        } catch (java.io.IOException notJson) {
            json = MissingNode.getInstance();
        }
        return new ApiResponse(status, json == null ? MissingNode.getInstance() : json, raw, headers);
    }

    /** Fails with the whole response unless its status is {@code expected}; returns this for chaining. */
    ApiResponse expectStatus(int expected) {
        if (status != expected) {
            throw new AssertionError("expected HTTP " + expected + " but got " + this);
        }
        return this;
    }

    /** The {@code id} of the object in the body. */
    String id() {
        return body.path("id").asText(null);
    }

    /** The {@code error} object of an error body; missing otherwise. */
    JsonNode error() {
        return body.path("error");
    }

    String errorType() {
        return error().path("type").asText(null);
    }

    String errorCode() {
        return error().path("code").asText(null);
    }

    /** The parameter the error names, or null when it names none. */
    String errorParam() {
        return error().path("param").asText(null);
    }

    @Override
    public String toString() {
        return "HTTP " + status + " " + (rawBody.length() <= 2_000 ? rawBody : rawBody.substring(0, 2_000) + "…");
    }
}
