package dev.kassa.fraud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kassa.model.FraudAssessment;
import dev.kassa.model.Money;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FraudRulesTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 1_250, Money.MAX_AMOUNT})
    void allowAllAllowsEveryPaymentWithZeroScore(long amount) {
        FraudAssessment assessment = FraudRules.allowAll()
                .evaluate(new FeatureSnapshot("acct_source", "acct_destination", amount, "usd"));

        assertThat(assessment.decision()).isEqualTo(FraudAssessment.Decision.ALLOW);
        assertThat(assessment.score()).isZero();
        assertThat(assessment.reasons()).isEmpty();
    }

    @Test
    void featureSnapshotRejectsAmountsMoneyWouldReject() {
        assertThatThrownBy(() -> new FeatureSnapshot("acct_a", "acct_b", 0, "usd"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("acct_a");
        assertThatThrownBy(() -> new FeatureSnapshot("acct_a", "acct_b", Money.MAX_AMOUNT + 1, "usd"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void featureSnapshotRejectsNonCanonicalCurrency() {
        assertThatThrownBy(() -> new FeatureSnapshot("acct_a", "acct_b", 100, "USD"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("USD");
    }
}
