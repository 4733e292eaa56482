package dev.kassa.api.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A bounded, expiring cache of authenticated merchants by secret key hash, so that most requests do
 * not query Postgres to authenticate. Least recently used entries leave first; an entry is trusted for
 * at most {@code ttl}, which bounds how long a revoked key keeps working. Only successful lookups are
 * cached. A size of 0 disables caching.
 */
public final class MerchantCache {

    private record Entry(Merchant merchant, Instant expires) {
    }

    private final int sizeMax;
    private final Duration ttl;
    private final Clock clock;
    private final LinkedHashMap<String, Entry> entries;

    public MerchantCache(int sizeMax, Duration ttl, Clock clock) {
        if (sizeMax < 0) {
            throw new IllegalArgumentException("merchant cache size must not be negative: " + sizeMax);
        }
        this.sizeMax = sizeMax;
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > MerchantCache.this.sizeMax;
            }
        };
    }

    public synchronized Optional<Merchant> get(String secretKeyHash) {
        Entry entry = entries.get(secretKeyHash);
        if (entry == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(entry.expires())) {
            entries.remove(secretKeyHash);
            return Optional.empty();
        }
        return Optional.of(entry.merchant());
    }

    /** Caches {@code merchant} and returns it. */
    public synchronized Merchant put(String secretKeyHash, Merchant merchant) {
        if (sizeMax > 0 && !ttl.isZero()) {
            entries.put(secretKeyHash, new Entry(merchant, clock.instant().plus(ttl)));
        }
        return merchant;
    }

    public synchronized int size() {
        return entries.size();
    }
}
