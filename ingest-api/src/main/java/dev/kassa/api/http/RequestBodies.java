package dev.kassa.api.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kassa.api.error.ApiException;
import dev.kassa.api.error.ErrorCode;
import dev.kassa.api.validation.ContentTypes;
import dev.kassa.api.validation.JsonBodies;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.jetty.http.BadMessageException;

/**
 * Reads a request body as one JSON object: a declared media type is checked first ({@code 415}),
 * then at most {@code maxBodyBytes} are kept ({@code 413} beyond, the rest read and discarded up to a
 * bound so the answer arrives), then {@link JsonBodies} parses them.
 */
final class RequestBodies {

    /** How much of an oversized body is read and discarded so that its 413 reaches the client. */
    static final long DRAIN_MAX_BYTES = 1024 * 1024;

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
        try (InputStream in = ctx.req().getInputStream()) {
            long declared = ctx.req().getContentLengthLong();
            if (declared > maxBodyBytes) {
                throw tooLarge(in);
            }
            // A body of a declared length is read to that length and no further: one more read, for the
            // end of the stream, would have Jetty check the minimum data rate again, from the first
            // byte read, and on a starved server a small body read promptly can then fail it (408).
            byte[] body = in.readNBytes(declared >= 0 ? (int) declared : maxBodyBytes + 1);
            if (body.length > maxBodyBytes) {
                throw tooLarge(in);
            }
            return body;
        } catch (IOException e) {
            throw new ApiException(ErrorCode.INVALID_JSON, "the request body could not be read: " + e.getMessage());
        } catch (BadMessageException e) {
            // Jetty refuses a body arriving slower than the minimum request data rate (docs/api.md).
            throw e.getCode() == 408
                    ? new ApiException(ErrorCode.REQUEST_TIMEOUT, "the request body arrived too slowly: " + e.getReason())
                    : new ApiException(ErrorCode.INVALID_JSON, "the request body could not be read: " + e.getReason());
        }
    }

    /**
     * The 413 for a body over the limit, after reading what is left of it up to {@link #DRAIN_MAX_BYTES}
     * and discarding it. Closing a connection whose request was not read makes the kernel reset it,
     * which can destroy the 413 before the client reads it; a moderately oversized body is therefore
     * read to its end, and only a huge one costs the client its connection.
     */
    private ApiException tooLarge(InputStream in) throws IOException {
        long drained = 0;
        byte[] discard = new byte[8_192];
        int read;
        while (drained < DRAIN_MAX_BYTES && (read = in.read(discard, 0,
                (int) Math.min(discard.length, DRAIN_MAX_BYTES - drained))) >= 0) {
            drained += read;
        }
        return tooLarge();
    }

    private ApiException tooLarge() {
        return new ApiException(ErrorCode.REQUEST_TOO_LARGE,
                "the request body is larger than " + maxBodyBytes + " bytes");
    }
}
