package dev.kassa.api.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kassa.api.error.ApiException;
import dev.kassa.api.error.ErrorCode;
import dev.kassa.api.validation.ContentTypes;
import dev.kassa.api.validation.JsonBodies;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a request body as one JSON object: a declared media type is checked first ({@code 415}),
 * then at most {@code maxBodyBytes} are read ({@code 413} beyond, without reading the rest), then
 * {@link JsonBodies} parses them.
 */
final class RequestBodies {

    private final int maxBodyBytes;

    RequestBodies(int maxBodyBytes) {
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive: " + maxBodyBytes);
        }
        this.maxBodyBytes = maxBodyBytes;
    }

    ObjectNode readObject(Context ctx) {
        String contentType = ctx.header("Content-Type");
        if (contentType != null) {
            // Checked before reading, so a wrong media type is answered without reading a large body.
            ContentTypes.requireJson(contentType);
        }
        return JsonBodies.parse(contentType, readBounded(ctx));
    }

    private byte[] readBounded(Context ctx) {
        if (ctx.req().getContentLengthLong() > maxBodyBytes) {
            throw tooLarge();
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = in.readNBytes(maxBodyBytes + 1);
            if (body.length > maxBodyBytes) {
                throw tooLarge();
            }
            return body;
        } catch (IOException e) {
            throw new ApiException(ErrorCode.INVALID_JSON, "the request body could not be read: " + e.getMessage());
        }
    }

    private ApiException tooLarge() {
        return new ApiException(ErrorCode.REQUEST_TOO_LARGE,
                "the request body is larger than " + maxBodyBytes + " bytes");
    }
}
