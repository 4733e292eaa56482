package dev.kassa.api.validation;

import dev.kassa.api.error.ApiException;
import dev.kassa.api.error.ErrorCode;
import java.util.Locale;

/**
 * Checks a request's {@code Content-Type}: {@code application/json}, in any case, optionally with a
 * {@code charset} parameter that must then be UTF-8. Other parameters are ignored.
 */
public final class ContentTypes {

    private ContentTypes() {
    }

    /**
     * @throws ApiException {@code 415 unsupported_media_type} for a missing or other media type or charset
     */
    public static void requireJson(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            throw unsupported("Content-Type is missing; send application/json");
        }
        String[] parts = contentType.split(";");
        String mediaType = parts[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json")) {
            throw unsupported("Content-Type must be application/json, not " + abbreviate(mediaType));
        }
        for (int i = 1; i < parts.length; i++) {
            requireUtf8IfCharset(parts[i]);
        }
    }

    private static void requireUtf8IfCharset(String parameter) {
        int equals = parameter.indexOf('=');
        if (equals < 0) {
            return;
        }
        String name = parameter.substring(0, equals).trim().toLowerCase(Locale.ROOT);
        String value = parameter.substring(equals + 1).trim().replace("\"", "").toLowerCase(Locale.ROOT);
        if (name.equals("charset") && !value.equals("utf-8") && !value.equals("utf8")) {
            throw unsupported("the request body must be UTF-8, not charset " + abbreviate(value));
        }
    }

    private static String abbreviate(String value) {
        return value.length() <= 60 ? value : value.substring(0, 60) + "…";
    }

    private static ApiException unsupported(String message) {
        return new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, message);
    }
}
