package dev.kassa.app;

import dev.kassa.api.RateLimits;
import dev.kassa.api.payments.CardCapabilities;
import dev.kassa.ledger.postgres.PostgresSettings;
import dev.kassa.model.Bounds;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@code kassa api} runs on, besides {@link SharedSettings}: the ledger database it reads, Redis,
 * its address, the admin token, the outcome wait, the idempotency keys' life in Redis, the rate limits
 * and the card processor's capabilities. Their bounds are {@link dev.kassa.api.ApiSettings}'s, checked
 * when {@link Services#startApi(ApiServiceSettings)} builds those.
 *
 * @param adminToken bearer token of {@code /admin}; a strong one ({@link dev.kassa.api.auth.AdminTokens}),
 *                   checked when the API's settings are built
 */
public record ApiServiceSettings(SharedSettings shared, PostgresSettings postgres, String redisUri, String host,
                                 int port, String adminToken, Duration outcomeWait, Duration idempotencyTtl,
                                 int idempotencyBuckets, RateLimits rateLimits, CardCapabilities cards) {

    public ApiServiceSettings {
        Objects.requireNonNull(shared, "shared");
        Objects.requireNonNull(postgres, "postgres");
        Bounds.requireText("redisUri", redisUri);
        Bounds.requireText("host", host);
        Bounds.requireWithin("port", port, 0, 65_535);
        Objects.requireNonNull(adminToken, "adminToken");
        Objects.requireNonNull(outcomeWait, "outcomeWait");
        Objects.requireNonNull(idempotencyTtl, "idempotencyTtl");
        Objects.requireNonNull(rateLimits, "rateLimits");
        Objects.requireNonNull(cards, "cards");
    }

    /** Names no secret. */
    @Override
    public String toString() {
        return "ApiServiceSettings[shared=" + shared + ", postgres=" + postgres + ", redisUri=<redacted>, host=" + host
                + ", port=" + port + ", adminToken=<redacted>, outcomeWait=" + outcomeWait + ", idempotencyTtl="
                + idempotencyTtl + ", idempotencyBuckets=" + idempotencyBuckets + ", rateLimits=" + rateLimits
                + ", cards=" + cards + "]";
    }
}
