package dev.kassa.ledger.sink;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bounded exponential backoff: {@code min} after the first failure, doubling after each further one,
 * never more than {@code max}. Each wait is drawn from its upper half so that several sink instances
 * failing together do not retry in lockstep.
 */
record Backoff(Duration min, Duration max) {

    Backoff {
        Objects.requireNonNull(min, "min");
        Objects.requireNonNull(max, "max");
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < min <= max: " + min + ", " + max);
        }
    }

    /** The wait after {@code failures} consecutive failures (at least 1). */
    Duration delay(int failures) {
        return delay(failures, ThreadLocalRandom.current().nextDouble());
    }

    /**
     * The wait after {@code failures} consecutive failures, with {@code jitter} in [0, 1) choosing the
     * point between half the exponential bound and the bound itself.
     */
    Duration delay(int failures, double jitter) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be at least 1: " + failures);
        }
        long minMillis = min.toMillis();
        long maxMillis = max.toMillis();
        // Shifting by more than 62 bits overflows; the cap is reached long before that anyway.
        long bound = failures - 1 >= 62 || minMillis > (maxMillis >> (failures - 1))
                ? maxMillis : Math.min(maxMillis, minMillis << (failures - 1));
        long half = bound / 2;
        return Duration.ofMillis(Math.max(minMillis, half + (long) ((bound - half) * jitter)));
    }
}
