package dev.kassa.topology.treasury;

import dev.kassa.model.Bounds;
import java.time.Duration;
import java.time.LocalDate;

/**
 * What one merchant deposited in one currency on one UTC day, in minor units: one entry of the
 * {@code treasury-deposit-days} store, keyed by {@link #key}.
 *
 * @param epochDay the UTC day, as days since 1970-01-01
 * @param total    the sum of the merchant's deposits of that day that the treasury took
 */
public record DailyDeposits(long epochDay, long total) {

    /** Days an entry outlives its own: a day's total is kept two days, then purged. */
    public static final long DAYS_KEPT_AFTER = 2;

    public DailyDeposits {
        Bounds.requireWithin("total", total, 0, Long.MAX_VALUE);
    }

    /** The UTC day of a record timestamp, as days since 1970-01-01. */
    public static long epochDay(long timestampMs) {
        return Math.floorDiv(timestampMs, Duration.ofDays(1).toMillis());
    }

    /** The store key of {@code merchantId}'s deposits in {@code currency} on {@code epochDay}. */
    public static String key(String merchantId, String currency, long epochDay) {
        return merchantId + ":" + currency + ":" + LocalDate.ofEpochDay(epochDay);
    }

    /** Whether the entry may be deleted at {@code streamTimeMs}: its day ended more than two days before. */
    public static boolean isExpired(DailyDeposits entry, long streamTimeMs) {
        return entry.epochDay() + DAYS_KEPT_AFTER < epochDay(streamTimeMs);
    }
}
