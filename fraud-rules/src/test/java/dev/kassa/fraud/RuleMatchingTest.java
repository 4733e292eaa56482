package dev.kassa.fraud;

import static dev.kassa.fraud.Snapshots.rule;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RuleMatchingTest {

    private static final long THRESHOLD = 10;

    /**
     * The oracle: whether each comparison holds for a value just below, at and just above the
     * threshold, written out by hand rather than computed from the code under test.
     */
    private static final Map<Comparison, List<Boolean>> BELOW_AT_ABOVE = Map.of(
            Comparison.GREATER, List.of(false, false, true),
            Comparison.GREATER_OR_EQUAL, List.of(false, true, true),
            Comparison.LESS, List.of(true, false, false),
            Comparison.LESS_OR_EQUAL, List.of(true, true, false),
            Comparison.EQUAL, List.of(false, true, false),
            Comparison.NOT_EQUAL, List.of(true, false, true));

    static Stream<Arguments> numericFeatureAtBelowAndAboveThreshold() {
        List<Arguments> cases = new ArrayList<>();
        for (Feature feature : Feature.values()) {
            if (feature.kind() != Feature.Kind.NUMBER) {
                continue;
            }
            for (Comparison comparison : Comparison.values()) {
                for (int offset = -1; offset <= 1; offset++) {
                    cases.add(Arguments.of(feature, comparison, THRESHOLD + offset, BELOW_AT_ABOVE.get(comparison).get(offset + 1)));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} 10 with value {2} matches: {3}")
    @MethodSource("numericFeatureAtBelowAndAboveThreshold")
    void numericRuleMatchesExactlyWhenItsComparisonHolds(Feature feature, Comparison comparison, long value, boolean matches) {
        Rule rule = rule("under-test", feature, comparison, THRESHOLD, Action.REVIEW, 10);

        assertThat(rule.matches(Snapshots.with(feature, value))).isEqualTo(matches);
    }

    static Stream<Arguments> booleanFeatureCases() {
        return Stream.of(
                Arguments.of(Comparison.EQUAL, true, true, true),
                Arguments.of(Comparison.EQUAL, true, false, false),
                Arguments.of(Comparison.EQUAL, false, true, false),
                Arguments.of(Comparison.EQUAL, false, false, true),
                Arguments.of(Comparison.NOT_EQUAL, true, true, false),
                Arguments.of(Comparison.NOT_EQUAL, true, false, true),
                Arguments.of(Comparison.NOT_EQUAL, false, true, true),
                Arguments.of(Comparison.NOT_EQUAL, false, false, false));
    }

    @ParameterizedTest(name = "paid_destination_before {0} {1} with value {2} matches: {3}")
    @MethodSource("booleanFeatureCases")
    void booleanRuleMatchesExactlyWhenItsComparisonHolds(Comparison comparison, boolean threshold, boolean value, boolean matches) {
        Rule rule = rule("under-test", Feature.PAID_DESTINATION_BEFORE, comparison, threshold ? 1 : 0, Action.REVIEW, 10);

        assertThat(rule.matches(Snapshots.with(Feature.PAID_DESTINATION_BEFORE, value ? 1 : 0))).isEqualTo(matches);
    }

    @Test
    void currencyScopedRuleMatchesOnlyPaymentsInItsCurrency() {
        Rule usdOnly = new Rule("usd-only", Feature.AMOUNT, Comparison.GREATER, 0, "usd", Action.REVIEW, 10, "usd payment");

        assertThat(usdOnly.matches(Snapshots.quiet(Snapshots.SOURCE, "usd"))).isTrue();
        assertThat(usdOnly.matches(Snapshots.quiet(Snapshots.SOURCE, "eur"))).isFalse();
        assertThat(usdOnly.matches(Snapshots.quiet(Snapshots.SOURCE, "jpy"))).isFalse();
    }

    @Test
    void ruleWithoutCurrencyMatchesEveryCurrency() {
        Rule anyCurrency = rule("any", Feature.AMOUNT, Comparison.GREATER, 0, Action.REVIEW, 10);

        for (String currency : List.of("usd", "eur", "jpy", "kwd")) {
            assertThat(anyCurrency.matches(Snapshots.quiet(Snapshots.SOURCE, currency))).as(currency).isTrue();
        }
    }

    @Test
    void currencyScopedRuleInASetScoresOnlyItsCurrency() {
        RuleSet rules = new RuleSet("t", 65, 75, java.util.Set.of(), java.util.Set.of(), List.of(
                new Rule("eur-large", Feature.AMOUNT, Comparison.GREATER_OR_EQUAL, Snapshots.QUIET_AMOUNT, "eur",
                        Action.SCORE, 20, "large eur payment")));

        assertThat(rules.evaluate(Snapshots.quiet(Snapshots.SOURCE, "eur")).score()).isEqualTo(20);
        assertThat(rules.evaluate(Snapshots.quiet(Snapshots.SOURCE, "usd")).score()).isZero();
    }
}
