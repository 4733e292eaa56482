package dev.kassa.api.validation;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns a request's {@code Content-Type} and body bytes into one JSON object: the media type must be
 * JSON ({@code 415}), the bytes one strict JSON object ({@code 400 invalid_json}). A request with
 * neither a body nor a {@code Content-Type} counts as an empty object, so that a POST without
 * parameters needs no body. The size bound is applied while reading, before this.
 */
public final class JsonBodies {

    private JsonBodies() {
    }

    public static ObjectNode parse(String contentType, byte[] body) {
        if (contentType == null && body.length == 0) {
            return JsonNodeFactory.instance.objectNode();
        }
        ContentTypes.requireJson(contentType);
        return StrictJson.parseObject(body);
    }
}
