package dev.kassa.fraud;

import dev.kassa.fraud.FeatureSnapshot.Window;

/** Feature snapshots for tests: a quiet payment, and the same payment with one feature set to a chosen value. */
final class Snapshots {

    static final String SOURCE = "acct_source";
    static final String DESTINATION = "acct_destination";
    static final long QUIET_AMOUNT = 1_000;

    private Snapshots() {
    }

    /** A small usd payment, the source's only one lately, to a destination it paid before: no default rule matches it. */
    static FeatureSnapshot quiet() {
        return quiet(SOURCE, "usd");
    }

    static FeatureSnapshot quiet(String source, String currency) {
        Window one = new Window(1, QUIET_AMOUNT);
        return new FeatureSnapshot(source, DESTINATION, QUIET_AMOUNT, currency, one, one, one, 1, true, 0);
    }

    /** The quiet payment with {@code feature} reading {@code value}, the other windows widened just enough to stay nested. */
    static FeatureSnapshot with(Feature feature, long value) {
        long small = Math.min(QUIET_AMOUNT, value);
        return switch (feature) {
            case AMOUNT -> windows(value, new Window(1, value), new Window(1, value), new Window(1, value));
            case COUNT_1M -> windows(QUIET_AMOUNT, new Window(value, QUIET_AMOUNT), new Window(value, QUIET_AMOUNT), new Window(value, QUIET_AMOUNT));
            case SUM_1M -> windows(small, new Window(1, value), new Window(1, value), new Window(1, value));
            case COUNT_1H -> windows(QUIET_AMOUNT, new Window(1, QUIET_AMOUNT), new Window(value, QUIET_AMOUNT), new Window(value, QUIET_AMOUNT));
            case SUM_1H -> windows(small, new Window(1, small), new Window(1, value), new Window(1, value));
            case COUNT_24H -> windows(QUIET_AMOUNT, new Window(1, QUIET_AMOUNT), new Window(1, QUIET_AMOUNT), new Window(value, QUIET_AMOUNT));
            case SUM_24H -> windows(small, new Window(1, small), new Window(1, small), new Window(1, value));
            case DISTINCT_DESTINATIONS_1H -> new FeatureSnapshot(SOURCE, DESTINATION, QUIET_AMOUNT, "usd",
                    new Window(1, QUIET_AMOUNT), new Window(1, QUIET_AMOUNT), new Window(1, QUIET_AMOUNT), (int) value, true, 0);
            case PAID_DESTINATION_BEFORE -> new FeatureSnapshot(SOURCE, DESTINATION, QUIET_AMOUNT, "usd",
                    new Window(1, QUIET_AMOUNT), new Window(1, QUIET_AMOUNT), new Window(1, QUIET_AMOUNT), 1, value == 1, 0);
            case DECLINES_1H -> new FeatureSnapshot(SOURCE, DESTINATION, QUIET_AMOUNT, "usd",
                    new Window(1, QUIET_AMOUNT), new Window(1, QUIET_AMOUNT), new Window(1, QUIET_AMOUNT), 1, true, (int) value);
        };
    }

    private static FeatureSnapshot windows(long amount, Window minute, Window hour, Window day) {
        return new FeatureSnapshot(SOURCE, DESTINATION, amount, "usd", minute, hour, day, 1, true, 0);
    }

    /** A rule with a fixed reason derived from its id, for rule sets built in code. */
    static Rule rule(String id, Feature feature, Comparison comparison, long threshold, Action action, int weight) {
        return new Rule(id, feature, comparison, threshold, null, action, weight, "reason of " + id);
    }
}
