package dev.kassa.api.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A bounded, expiring cache of authenticated merchants by secret key hash, so that most requests do
 * not query Postgres to authenticate. Bounded in entries (Caffeine's size eviction); an entry is
 * trusted for at most {@code ttl} after it was cached, which bounds how long a revoked key keeps
 * working. Only successful lookups are cached. A size of 0 disables caching. Every request reads it,
 * so it takes no lock on a read.
 */
public final class MerchantCache {

    private final int sizeMax;
    private final Duration ttl;
    private final Cache<String, Merchant> entries;

    public MerchantCache(int sizeMax, Duration ttl, Clock clock) {
        if (sizeMax < 0) {
            throw new IllegalArgumentException("merchant cache size must not be negative: " + sizeMax);
        }
        this.sizeMax = sizeMax;
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(clock, "clock");
        this.entries = Caffeine.newBuilder()
                .maximumSize(sizeMax)
                .expireAfterWrite(ttl.isNegative() ? Duration.ZERO : ttl)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .executor(Runnable::run)
                .build();
    }

    public Optional<Merchant> get(String secretKeyHash) {
        return Optional.ofNullable(entries.getIfPresent(secretKeyHash));
    }

    /** Caches {@code merchant} and returns it. */
    public Merchant put(String secretKeyHash, Merchant merchant) {
        if (sizeMax > 0 && !ttl.isZero() && !ttl.isNegative()) {
            entries.put(secretKeyHash, merchant);
        }
        return merchant;
    }

    /** How many merchants are cached, after evicting what is over the bound or expired. */
    public int size() {
        entries.cleanUp();
        return Math.toIntExact(entries.estimatedSize());
    }
}
