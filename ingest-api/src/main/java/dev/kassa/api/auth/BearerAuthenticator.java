package dev.kassa.api.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kassa.api.error.ApiException;
import dev.kassa.api.error.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Authenticates {@code Authorization: Bearer …} headers: merchants by their secret key's hash through
 * a {@link MerchantDirectory} (cached by {@link MerchantCache}), the administrator by a constant-time
 * comparison with the configured admin token.
 */
public final class BearerAuthenticator implements Authenticator {

    private static final String BEARER = "bearer ";
    /** Longer credentials are rejected before hashing; real keys have 67 characters. */
    private static final int CREDENTIAL_LENGTH_MAX = 512;
    static final Duration UNKNOWN_TTL = Duration.ofSeconds(30);
    private static final long UNKNOWN_MAX = 100_000;

    private final MerchantDirectory directory;
    private final MerchantCache cache;
    private final byte[] adminTokenHash;
    /**
     * Hashes of well-formed keys no merchant has, for {@link #UNKNOWN_TTL}: a key is random, so one that
     * is unknown now is not a new merchant's a moment later.
     */
    private final Cache<String, Boolean> unknown = Caffeine.newBuilder()
            .maximumSize(UNKNOWN_MAX).expireAfterWrite(UNKNOWN_TTL).executor(Runnable::run).build();

    public BearerAuthenticator(MerchantDirectory directory, MerchantCache cache, String adminToken) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.adminTokenHash = SecretKeys.sha256(Objects.requireNonNull(adminToken, "adminToken").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Merchant merchant(String authorizationHeader) {
        String secretKey = credential(authorizationHeader);
        // Only a key of the right form is hashed and looked up, and a key just found unknown is not looked up again.
        if (!SecretKeys.isWellFormed(secretKey)) {
            throw invalid();
        }
        String hash = SecretKeys.hash(secretKey);
        if (unknown.getIfPresent(hash) != null) {
            throw invalid();
        }
        Optional<Merchant> merchant = cache.get(hash)
                .or(() -> directory.findBySecretKeyHash(hash).map(found -> cache.put(hash, found)));
        if (merchant.isEmpty()) {
            unknown.put(hash, Boolean.TRUE);
            throw invalid();
        }
        return merchant.get();
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
