package dev.kassa.api.auth;

import dev.kassa.api.error.ApiException;
import dev.kassa.api.error.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Objects;

/**
 * Authenticates {@code Authorization: Bearer …} headers: merchants by their secret key's hash through
 * a {@link MerchantDirectory} (cached by {@link MerchantCache}), the administrator by a constant-time
 * comparison with the configured admin token.
 */
public final class BearerAuthenticator implements Authenticator {

    private static final String BEARER = "bearer ";
    /** Longer credentials are rejected before hashing; real keys have 67 characters. */
    private static final int CREDENTIAL_LENGTH_MAX = 512;

    private final MerchantDirectory directory;
    private final MerchantCache cache;
    private final byte[] adminTokenHash;

    public BearerAuthenticator(MerchantDirectory directory, MerchantCache cache, String adminToken) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.adminTokenHash = SecretKeys.sha256(Objects.requireNonNull(adminToken, "adminToken").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Merchant merchant(String authorizationHeader) {
        String secretKey = credential(authorizationHeader);
        if (!secretKey.startsWith(SecretKeys.PREFIX)) {
            throw invalid();
        }
        String hash = SecretKeys.hash(secretKey);
        return cache.get(hash).or(() -> directory.findBySecretKeyHash(hash).map(found -> cache.put(hash, found)))
                .orElseThrow(BearerAuthenticator::invalid);
    }

    @Override
    public void admin(String authorizationHeader) {
        byte[] presented = SecretKeys.sha256(credential(authorizationHeader).getBytes(StandardCharsets.UTF_8));
        // Comparing hashes keeps the comparison constant-time whatever the presented token's length.
        if (!MessageDigest.isEqual(presented, adminTokenHash)) {
            throw invalid();
        }
    }

    private static String credential(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.isBlank()) {
            throw new ApiException(ErrorCode.API_KEY_MISSING,
                    "no API key provided; send the header Authorization: Bearer <secret key>");
        }
        String header = authorizationHeader.trim();
        if (header.length() > CREDENTIAL_LENGTH_MAX
                || !header.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
            throw new ApiException(ErrorCode.API_KEY_INVALID,
                    "the Authorization header must be of the form: Bearer <secret key>");
        }
        return header.substring(BEARER.length()).trim();
    }

    private static ApiException invalid() {
        return new ApiException(ErrorCode.API_KEY_INVALID, "invalid API key provided");
    }
}
