package dev.kassa.app.state;

import dev.kassa.api.auth.AdminTokens;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * The admin token of the API's {@code /admin} endpoints, checked against an {@code Authorization:
 * Bearer} header in constant time: both sides are hashed first, so neither the comparison nor the
 * lengths tell an attacker how much of a guess was right.
 */
final class AdminToken {

    private static final String BEARER = "Bearer ";

    private final byte[] tokenHash;

    AdminToken(String token) {
        Objects.requireNonNull(token, "token");
        // As the API requires of its admin token.
        AdminTokens.requireStrong("the admin token", token);
        this.tokenHash = sha256(token);
    }

    /**
     * @param authorization the {@code Authorization} header, or null when it was not sent
     * @throws StateException {@code 401 unauthenticated} unless it is {@code Bearer <the admin token>}
     */
    void check(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw StateException.unauthenticated("send the admin token as Authorization: Bearer <token>");
        }
        boolean bearer = authorization.regionMatches(true, 0, BEARER, 0, BEARER.length());
        byte[] presented = sha256(bearer ? authorization.substring(BEARER.length()).trim() : "");
        if (!MessageDigest.isEqual(presented, tokenHash) || !bearer) {
            throw StateException.unauthenticated("the Authorization header does not carry the admin token");
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "AdminToken[<redacted>]";
    }
}
