package dev.kassa.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Merchants' secret keys: {@code sk_} followed by 64 hex digits (256 random bits). Only the SHA-256
 * hash of a key is stored; a key is shown once, when its merchant is created. A plain hash (no salt,
 * no stretching) is enough because the key is random and long, and it lets a key be looked up by its
 * hash.
 */
public final class SecretKeys {

    public static final String PREFIX = "sk_";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private SecretKeys() {
    }

    /** A fresh secret key. */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + HEX.formatHex(bytes);
    }

    /** Whether {@code text} has a secret key's form: {@code sk_} and 64 lower-case hex digits. */
    public static boolean isWellFormed(String text) {
        if (text.length() != PREFIX.length() + 64 || !text.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    /** The lower-case hex SHA-256 of {@code secretKey}'s UTF-8 bytes, as stored in {@code merchants.secret_key_hash}. */
    public static String hash(String secretKey) {
        return HEX.formatHex(sha256(secretKey.getBytes(StandardCharsets.UTF_8)));
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM must provide SHA-256", e);
        }
    }
}
