package dev.kassa.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.model.FraudAssessment;
import dev.kassa.model.Money;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FraudRulesTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 1_250, Money.AMOUNT_MAX})
    void allowAllAllowsEveryPaymentWithZeroScore(long amount) {
        FraudAssessment assessment = FraudRules.allowAll()
                .evaluate(FeatureSnapshot.firstPayment("acct_source", "acct_destination", amount, "usd"));

        assertThat(assessment.decision()).isEqualTo(FraudAssessment.Decision.ALLOW);
        assertThat(assessment.score()).isZero();
        assertThat(assessment.reasons()).isEmpty();
    }

    @Test
    void allowAllIsVersionedAllowAll() {
        assertThat(FraudRules.allowAll().version()).isEqualTo("allow-all");
    }

    @Test
    void handWrittenRulesAreUnversioned() {
        FraudRules rules = features -> FraudAssessment.ALLOWED;

        assertThat(rules.version()).isEqualTo("unversioned");
    }
}
