package dev.kassa.fraud;

import dev.kassa.model.Currencies;
import dev.kassa.model.Money;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the fraud rules may look at when they judge one payment: who pays whom, how much, in which
 * currency, and how the source has behaved lately. The fraud stage of the topology builds one per
 * payment from its windowed stores. Every count and sum includes the payment being judged, so a
 * window's count is at least 1 and the windows nest: the last minute lies within the last hour, which
 * lies within the last day.
 *
 * @param sourceAccountId             the payer's account
 * @param destinationAccountId        the payee's account
 * @param amount                      minor units of {@code currency}, within the bounds of {@link Money}
 * @param currency                    canonical lower-case ISO 4217 code
 * @param lastMinute                  the source's payments in this second and the 59 before it
 * @param lastHour                    the source's payments in this minute and the 59 before it
 * @param lastDay                     the source's payments in this hour and the 23 before it
 * @param distinctDestinationsLastHour distinct destinations the source paid in the last hour, this one
 *                                    included; saturates at {@link #DISTINCT_DESTINATIONS_MAX}
 * @param paidDestinationBefore       an earlier payment from the source to this destination was debited
 *                                    within the last 30 days
 * @param declinesLastHour            the source's failed payments in the last hour, any decline code
 */
public record FeatureSnapshot(
        String sourceAccountId, String destinationAccountId, long amount, String currency,
        Window lastMinute, Window lastHour, Window lastDay,
        int distinctDestinationsLastHour, boolean paidDestinationBefore, int declinesLastHour) {

    /** The topology tracks at most this many distinct destinations per source and hour; the value saturates there. */
    public static final int DISTINCT_DESTINATIONS_MAX = 1_000;

    /**
     * Payments from the source in a window, including the payment being judged, and their summed
     * amount in minor units. Sums are plain {@code long}s: many payments of up to
     * {@link Money#AMOUNT_MAX} may add up to more than one payment may carry.
     *
     * @param count payments in the window, at least 1 (the payment being judged)
     * @param sum   their summed amount in minor units, never negative
     */
    public record Window(long count, long sum) {

        public Window {
            if (count < 1) {
                throw new IllegalArgumentException("window count must be at least 1 (the payment being judged): " + count);
            }
            if (sum < 0) {
                throw new IllegalArgumentException("window sum must not be negative: " + sum);
            }
        }
    }

    public FeatureSnapshot {
        Objects.requireNonNull(sourceAccountId, "sourceAccountId");
        Objects.requireNonNull(destinationAccountId, "destinationAccountId");
        String payment = "feature snapshot of " + sourceAccountId + " -> " + destinationAccountId + ": ";
        Objects.requireNonNull(lastMinute, () -> payment + "lastMinute");
        Objects.requireNonNull(lastHour, () -> payment + "lastHour");
        Objects.requireNonNull(lastDay, () -> payment + "lastDay");
        if (!Money.isValidAmount(amount)) {
            throw new IllegalArgumentException(payment + "amount out of bounds: " + amount);
        }
        if (!Currencies.isCanonical(currency)) {
            throw new IllegalArgumentException(payment + "not a canonical currency: " + currency);
        }
        requireNested(payment + "window counts", lastMinute.count(), lastHour.count(), lastDay.count());
        requireNested(payment + "window sums", lastMinute.sum(), lastHour.sum(), lastDay.sum());
        if (distinctDestinationsLastHour < 1 || distinctDestinationsLastHour > DISTINCT_DESTINATIONS_MAX) {
            throw new IllegalArgumentException(payment + "distinctDestinationsLastHour must be within 1.."
                    + DISTINCT_DESTINATIONS_MAX + " (this destination included): " + distinctDestinationsLastHour);
        }
        if (declinesLastHour < 0) {
            throw new IllegalArgumentException(payment + "declinesLastHour must not be negative: " + declinesLastHour);
        }
    }

    private static void requireNested(String what, long minute, long hour, long day) {
        // A minute lies within its hour and an hour within its day, so a shorter window can never hold more.
        if (minute > hour || hour > day) {
            throw new IllegalArgumentException(what + " must not shrink as the window grows"
                    + " (lastMinute <= lastHour <= lastDay): " + minute + ", " + hour + ", " + day);
        }
    }

    /**
     * The snapshot of a source's first payment: every window holds just this payment, one
     * destination, never paid before, no declines.
     */
    public static FeatureSnapshot firstPayment(String source, String destination, long amount, String currency) {
        Window justThisPayment = new Window(1, amount);
        return new FeatureSnapshot(source, destination, amount, currency,
                justThisPayment, justThisPayment, justThisPayment, 1, false, 0);
    }

    /**
     * Every feature's value by its rule-file name, in {@link Feature} order, for the decisions topic
     * and the state endpoint: booleans as {@link Boolean}, the others as {@link Long}.
     */
    public Map<String, Object> byName() {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Feature feature : Feature.values()) {
            long value = feature.valueOf(this);
            values.put(feature.ruleName(), feature.kind() == Feature.Kind.BOOLEAN ? Boolean.valueOf(value == 1) : Long.valueOf(value));
        }
        return Collections.unmodifiableMap(values);
    }
}
