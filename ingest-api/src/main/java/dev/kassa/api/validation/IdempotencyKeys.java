package dev.kassa.api.validation;

import dev.kassa.api.error.ApiException;
import dev.kassa.api.error.ErrorCode;
import java.util.List;
import java.util.Optional;

/**
 * The format of the {@code Idempotency-Key} header: 1–255 visible ASCII characters
 * ({@code 0x21}–{@code 0x7E}), sent once. Required on every {@code POST /v1/…}, optional on
 * {@code /admin}.
 */
public final class IdempotencyKeys {

    public static final String HEADER = "Idempotency-Key";
    public static final int LENGTH_MAX = 255;

    private IdempotencyKeys() {
    }

    /**
     * @param headerValues every value of the header in the request, empty when it was not sent
     * @throws ApiException {@code 400 idempotency_key_missing} or {@code 400 idempotency_key_invalid}
     */
    public static String required(List<String> headerValues) {
        return optional(headerValues).orElseThrow(() -> new ApiException(ErrorCode.IDEMPOTENCY_KEY_MISSING,
                "an " + HEADER + " header is required on every POST: 1-" + LENGTH_MAX
                        + " visible ASCII characters, unique per request"));
    }

    /**
     * @return the key, or empty when the header was not sent
     * @throws ApiException {@code 400 idempotency_key_invalid} when it was sent malformed or more than once
     */
    public static Optional<String> optional(List<String> headerValues) {
        if (headerValues == null || headerValues.isEmpty()) {
            return Optional.empty();
        }
        if (headerValues.size() > 1) {
            throw invalid("send the " + HEADER + " header once, not " + headerValues.size() + " times");
        }
        String key = headerValues.get(0);
        requireValid(key);
        return Optional.of(key);
    }

    /** True when {@code key} has the required format. */
    public static boolean isValid(String key) {
        if (key == null || key.isEmpty() || key.length() > LENGTH_MAX) {
            return false;
        }
        return key.chars().allMatch(c -> c >= 0x21 && c <= 0x7E);
    }

    private static void requireValid(String key) {
        if (key == null || key.isEmpty()) {
            throw invalid(HEADER + " must not be empty");
        }
        if (key.length() > LENGTH_MAX) {
            throw invalid(HEADER + " must be at most " + LENGTH_MAX + " characters, not " + key.length());
        }
        if (!isValid(key)) {
            throw invalid(HEADER + " may contain only visible ASCII characters (0x21-0x7E): no spaces,"
                    + " control or non-ASCII characters");
        }
    }

    private static ApiException invalid(String message) {
        return new ApiException(ErrorCode.IDEMPOTENCY_KEY_INVALID, message);
    }
}
