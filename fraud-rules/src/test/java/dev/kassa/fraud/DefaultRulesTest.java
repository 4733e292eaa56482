package dev.kassa.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.fraud.FeatureSnapshot.Window;
import dev.kassa.model.FraudAssessment;
import dev.kassa.model.FraudAssessment.Decision;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rule set shipped in the jar, which {@code kassa dev} and the integration tests run with. */
class DefaultRulesTest {

    private final RuleSet defaults = RuleSet.defaults();

    /** The n-th payment of the source within a minute, all small and to a destination paid before. */
    private static FeatureSnapshot nthPaymentInAMinute(long n) {
        Window window = new Window(n, n * 1_000);
        return new FeatureSnapshot("acct_busy", "acct_shop", 1_000, "usd", window, window, window, 1, true, 0);
    }

    private static FeatureSnapshot payment(long amount, String currency, boolean paidDestinationBefore) {
        Window one = new Window(1, amount);
        return new FeatureSnapshot("acct_a", "acct_b", amount, currency, one, one, one, 1, paidDestinationBefore, 0);
    }

    @Test
    void shippedFileParsesWithTheRequiredVelocityRule() {
        assertThat(defaults.version()).isEqualTo("default-1");
        assertThat(defaults.reviewThreshold()).isEqualTo(65);
        assertThat(defaults.blockThreshold()).isEqualTo(75);
        assertThat(defaults.rules()).contains(new Rule("velocity-1m", Feature.COUNT_1M, Comparison.GREATER, 10, null,
                Action.BLOCK, 100, "more than 10 payments from this source in 1 minute"));
        assertThat(defaults.rules()).extracting(Rule::id).containsExactly(
                "velocity-1m", "velocity-1h", "many-destinations-1h", "declines-1h", "new-destination", "large-amount");
    }

    @Test
    void eleventhPaymentInAMinuteIsBlockedAndTheTenthIsNot() {
        assertThat(defaults.evaluate(nthPaymentInAMinute(10))).isEqualTo(FraudAssessment.ALLOWED);
        assertThat(defaults.evaluate(nthPaymentInAMinute(11))).isEqualTo(new FraudAssessment(100, Decision.BLOCK,
                List.of("more than 10 payments from this source in 1 minute")));
    }

    @Test
    void firstPaymentOfAnAccountIsAllowedWithALowScore() {
        FraudAssessment first = defaults.evaluate(FeatureSnapshot.firstPayment("acct_new", "acct_shop", 1_250, "usd"));

        assertThat(first.decision()).isEqualTo(Decision.ALLOW);
        assertThat(first.score()).isEqualTo(30).isLessThan(defaults.reviewThreshold());
        assertThat(first.reasons()).containsExactly("first payment from this source to this destination");
    }

    @Test
    void largeUsdPaymentToANewDestinationIsReviewedThoughNeitherSignalIsEnoughAlone() {
        assertThat(defaults.evaluate(payment(500_001, "usd", false)))
                .isEqualTo(new FraudAssessment(70, Decision.REVIEW, List.of(
                        "first payment from this source to this destination", "more than 5,000.00 usd in one payment")));
        assertThat(defaults.evaluate(payment(500_001, "usd", true)).decision()).isEqualTo(Decision.ALLOW);
        assertThat(defaults.evaluate(payment(500_000, "usd", false)).decision()).isEqualTo(Decision.ALLOW);
        assertThat(defaults.evaluate(payment(500_001, "eur", false)).decision()).isEqualTo(Decision.ALLOW);
    }

    @Test
    void manyDeclinesBlockAndManyDestinationsOrPaymentsInAnHourAreReviewed() {
        assertThat(defaults.evaluate(Snapshots.with(Feature.DECLINES_1H, 5)).decision()).isEqualTo(Decision.ALLOW);
        assertThat(defaults.evaluate(Snapshots.with(Feature.DECLINES_1H, 6)).decision()).isEqualTo(Decision.BLOCK);
        assertThat(defaults.evaluate(Snapshots.with(Feature.DISTINCT_DESTINATIONS_1H, 20)).decision()).isEqualTo(Decision.ALLOW);
        assertThat(defaults.evaluate(Snapshots.with(Feature.DISTINCT_DESTINATIONS_1H, 21)).decision()).isEqualTo(Decision.REVIEW);
        assertThat(defaults.evaluate(Snapshots.with(Feature.COUNT_1H, 120)).decision()).isEqualTo(Decision.ALLOW);
        assertThat(defaults.evaluate(Snapshots.with(Feature.COUNT_1H, 121)).decision()).isEqualTo(Decision.REVIEW);
    }

    @Test
    void shippedFileRoundTripsThroughToJson() {
        assertThat(RuleSet.parse(defaults.toJson())).isEqualTo(defaults);
    }
}
