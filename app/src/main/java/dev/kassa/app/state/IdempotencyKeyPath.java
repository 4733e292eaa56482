package dev.kassa.app.state;

import dev.kassa.model.Ids;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The two path segments of {@code /state/idempotency/{merchant}/{key}} and its optional
 * {@code account} query parameter (the account the key's command was routed by, which decides the
 * partition that remembers the key; see docs/architecture.md), read from the raw request
 * path and checked. The key is percent-decoded exactly once, and {@code +} stays a plus: keys may
 * hold {@code /}, {@code %}, {@code ?} and {@code +}, which clients percent-encode, so a decoder that
 * turned {@code +} into a space or decoded twice would look up another key. The merchant must be a
 * {@code mer_} id; the key 1–255 visible ASCII characters ({@code 0x21}–{@code 0x7E}), the
 * {@code Idempotency-Key} format of the API.
 */
record IdempotencyKeyPath(String merchant, String key, String account) {

    static final int KEY_LENGTH_MAX = 255;
    /** Bounds the work on a hostile path: a valid key is at most three encoded bytes per character. */
    static final int RAW_KEY_LENGTH_MAX = 3 * KEY_LENGTH_MAX;

    /**
     * @param rawMerchant the merchant segment as sent, still percent-encoded
     * @param rawKey      the key segment as sent, still percent-encoded
     * @param account     the {@code account} query parameter, or null when absent
     * @throws StateException {@code 400 parameter_invalid} naming {@code merchant}, {@code key} or
     *                        {@code account}
     */
    static IdempotencyKeyPath parse(String rawMerchant, String rawKey, String account) {
        String merchant = percentDecode("merchant", rawMerchant, RAW_KEY_LENGTH_MAX);
        if (!Ids.isValid(Ids.MERCHANT, merchant)) {
            throw StateException.parameterInvalid("merchant", "merchant must be a merchant id: " + Ids.MERCHANT
                    + " followed by 32 lower-case hex digits");
        }
        String key = percentDecode("key", rawKey, RAW_KEY_LENGTH_MAX);
        requireKeyFormat(key);
        return new IdempotencyKeyPath(merchant, key, account == null ? null : FraudActivityJson.requireAccountId(account));
    }

    /** The segment a client sends for {@code key}: every character outside RFC 3986's unreserved set encoded. */
    static String encode(String key) {
        StringBuilder encoded = new StringBuilder(key.length() * 3);
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (isUnreserved(c)) {
                encoded.append(c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return encoded.toString();
    }

    /** This resource's path, canonically encoded: what {@code Location} names on the owner. */
    String path() {
        return "/state/idempotency/" + merchant + "/" + encode(key) + (account == null ? "" : "?account=" + account);
    }

    private static void requireKeyFormat(String key) {
        if (key.isEmpty()) {
            throw StateException.parameterInvalid("key", "key must not be empty");
        }
        if (key.length() > KEY_LENGTH_MAX) {
            throw StateException.parameterInvalid("key", "key must be at most " + KEY_LENGTH_MAX
                    + " characters, not " + key.length());
        }
        if (!key.chars().allMatch(c -> c >= 0x21 && c <= 0x7E)) {
            throw StateException.parameterInvalid("key", "key may contain only visible ASCII characters"
                    + " (0x21-0x7E), percent-encoded where a path needs it: no spaces, control or non-ASCII characters");
        }
    }

    /** Decodes {@code %XX} escapes to bytes, then the bytes as UTF-8; anything else is taken as it is. */
    private static String percentDecode(String param, String raw, int rawLengthMax) {
        if (raw == null || raw.isEmpty()) {
            throw StateException.parameterInvalid(param, param + " must not be empty");
        }
        if (raw.length() > rawLengthMax) {
            throw StateException.parameterInvalid(param, param + " is too long: " + raw.length()
                    + " characters as sent");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int high = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int low = high < 0 ? -1 : Character.digit(raw.charAt(i + 2), 16);
                if (low < 0) {
                    throw StateException.parameterInvalid(param, param
                            + " is not properly percent-encoded: a % must be followed by two hex digits");
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else if (c > 0x7E) {
                // The servlet hands over the path as ISO-8859-1 characters; a raw non-ASCII byte is never valid.
                throw StateException.parameterInvalid(param, param + " may contain only visible ASCII characters");
            } else {
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isUnreserved(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '-' || c == '.' || c == '_' || c == '~';
    }
}
