package dev.kassa.fraud;

import dev.kassa.model.Money;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.ToLongFunction;

/**
 * One thing a fraud rule may test about a payment, by the name rule files use for it. Each feature
 * reads one value from a {@link FeatureSnapshot} as a {@code long} (booleans as 1 or 0) and bounds
 * the thresholds a rule may compare it with, so a rule file with a threshold no payment could ever
 * reach (a typo of a few zeros) is rejected rather than silently never matching.
 */
public enum Feature {
    AMOUNT("amount", Kind.NUMBER, Money.AMOUNT_MAX, FeatureSnapshot::amount),
    COUNT_1M("count_1m", Kind.NUMBER, Limits.COUNT_MAX, snapshot -> snapshot.lastMinute().count()),
    SUM_1M("sum_1m", Kind.NUMBER, Limits.SUM_MAX, snapshot -> snapshot.lastMinute().sum()),
    COUNT_1H("count_1h", Kind.NUMBER, Limits.COUNT_MAX, snapshot -> snapshot.lastHour().count()),
    SUM_1H("sum_1h", Kind.NUMBER, Limits.SUM_MAX, snapshot -> snapshot.lastHour().sum()),
    COUNT_24H("count_24h", Kind.NUMBER, Limits.COUNT_MAX, snapshot -> snapshot.lastDay().count()),
    SUM_24H("sum_24h", Kind.NUMBER, Limits.SUM_MAX, snapshot -> snapshot.lastDay().sum()),
    DISTINCT_DESTINATIONS_1H("distinct_destinations_1h", Kind.NUMBER, FeatureSnapshot.DISTINCT_DESTINATIONS_MAX,
            FeatureSnapshot::distinctDestinationsLastHour),
    PAID_DESTINATION_BEFORE("paid_destination_before", Kind.BOOLEAN, 1,
            snapshot -> snapshot.paidDestinationBefore() ? 1 : 0),
    DECLINES_1H("declines_1h", Kind.NUMBER, Limits.COUNT_MAX, FeatureSnapshot::declinesLastHour);

    /** Whether a feature is compared with integers or with {@code true}/{@code false}. */
    public enum Kind { NUMBER, BOOLEAN }

    /** Threshold bounds, in a holder because enum constants cannot refer to the enum's own statics. */
    private static final class Limits {
        /** Counts of payments or declines: far above any real velocity, far below overflow. */
        static final long COUNT_MAX = 1_000_000_000L;
        /** Sums of many payments may exceed one payment's {@link Money#AMOUNT_MAX}; 10^18 stays clear of overflow. */
        static final long SUM_MAX = 1_000_000_000_000_000_000L;
    }

    private final String ruleName;
    private final Kind kind;
    private final long thresholdMax;
    private final ToLongFunction<FeatureSnapshot> reader;

    Feature(String ruleName, Kind kind, long thresholdMax, ToLongFunction<FeatureSnapshot> reader) {
        this.ruleName = ruleName;
        this.kind = kind;
        this.thresholdMax = thresholdMax;
        this.reader = reader;
    }

    /** The feature's name in rule files and in {@link FeatureSnapshot#byName()}, e.g. {@code count_1m}. */
    public String ruleName() {
        return ruleName;
    }

    public Kind kind() {
        return kind;
    }

    /** The largest threshold a rule may compare this feature with (the smallest is 0). */
    public long thresholdMax() {
        return thresholdMax;
    }

    /** The feature's value in {@code snapshot}; a boolean reads as 1 (true) or 0 (false). */
    public long valueOf(FeatureSnapshot snapshot) {
        return reader.applyAsLong(snapshot);
    }

    /** The feature a rule file names {@code ruleName}, if any. */
    public static Optional<Feature> byRuleName(String ruleName) {
        return Arrays.stream(values()).filter(feature -> feature.ruleName.equals(ruleName)).findFirst();
    }
}
