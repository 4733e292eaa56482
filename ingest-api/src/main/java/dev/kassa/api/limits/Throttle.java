package dev.kassa.api.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.kassa.api.RateLimits;
import dev.kassa.api.error.RateLimitedException;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The API's rate limits (docs/api.md, Rate limits): token buckets (Bucket4j) per merchant key, per
 * client address and for failed authentications per client address, and a cap on each merchant's
 * requests executing at once. Every refusal is a {@code 429 rate_limited} with {@code Retry-After},
 * thrown before anything executes, so nothing is stored or published. Buckets live in memory, one set
 * per API instance, and are forgotten {@link #IDLE} after their last use.
 */
public final class Throttle {

    /** A bucket unused this long is dropped; a new one starts full, which a full one would be by then anyway. */
    static final Duration IDLE = Duration.ofMinutes(10);
    private static final long BUCKETS_MAX = 1_000_000;

    /** A request counted against its merchant's cap until {@link #close()}. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    private final RateLimits limits;
    private final Cache<String, Bucket> merchants = buckets();
    private final Cache<String, Bucket> addresses = buckets();
    private final Cache<String, Bucket> authFailures = buckets();
    private final ConcurrentHashMap<String, Integer> inFlight = new ConcurrentHashMap<>();
    private final Counter refused;

    public Throttle(RateLimits limits, MeterRegistry metrics) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.refused = Counter.builder("kassa.api.rate.limited")
                .description("requests refused with 429 rate_limited").register(metrics);
    }

    /** Counts a request from {@code address}; refuses it over the address's rate. */
    public void address(String address) {
        take(addresses.get(address, key -> bucket(limits.addressBurst(), limits.addressPerSecond(), Duration.ofSeconds(1))),
                "too many requests from this address");
    }

    /** Counts a request of merchant {@code merchantId}; refuses it over the merchant's rate. */
    public void merchant(String merchantId) {
        take(merchants.get(merchantId, key -> bucket(limits.merchantBurst(), limits.merchantPerSecond(), Duration.ofSeconds(1))),
                "too many requests with this API key");
    }

    /**
     * Refuses to authenticate anything from {@code address} while it has used up its failed
     * authentications, so that guessing keys costs neither a hash nor a database lookup.
     */
    public void beforeAuthentication(String address) {
        Bucket failures = authFailures.getIfPresent(address);
        if (failures != null && failures.getAvailableTokens() < 1) {
            refused.increment();
            throw new RateLimitedException("too many failed authentications from this address",
                    seconds(failures.estimateAbilityToConsume(1).getNanosToWaitForRefill()));
        }
    }

    /** Counts a failed authentication from {@code address}. */
    public void authenticationFailed(String address) {
        authFailures.get(address, key -> bucket(limits.authFailuresBurst(), limits.authFailuresPerMinute(), Duration.ofMinutes(1)))
                .tryConsume(1);
    }

    /**
     * Counts a request of merchant {@code merchantId} executing until the permit is closed; refuses it
     * when the merchant already has {@link RateLimits#merchantInFlightMax()} executing.
     */
    public Permit enter(String merchantId) {
        int max = limits.merchantInFlightMax();
        boolean[] admitted = new boolean[1];
        inFlight.compute(merchantId, (key, executing) -> {
            int now = executing == null ? 0 : executing;
            admitted[0] = now < max;
            return admitted[0] ? now + 1 : executing;
        });
        if (!admitted[0]) {
            refused.increment();
            throw new RateLimitedException("too many requests with this API key are executing at once (at most "
                    + max + ")", 1);
        }
        return () -> inFlight.computeIfPresent(merchantId, (key, executing) -> executing <= 1 ? null : executing - 1);
    }

    /** Requests of {@code merchantId} executing now. */
    public int executing(String merchantId) {
        return inFlight.getOrDefault(merchantId, 0);
    }

    private void take(Bucket bucket, String message) {
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            refused.increment();
            throw new RateLimitedException(message, seconds(probe.getNanosToWaitForRefill()));
        }
    }

    private static long seconds(long nanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanos + TimeUnit.SECONDS.toNanos(1) - 1));
    }

    private static Bucket bucket(long capacity, long tokens, Duration period) {
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(tokens, period).build())
                .build();
    }

    private static Cache<String, Bucket> buckets() {
        return Caffeine.newBuilder().maximumSize(BUCKETS_MAX).expireAfterAccess(IDLE).executor(Runnable::run).build();
    }
}
