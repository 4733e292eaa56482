package dev.kassa.fraud;

import dev.kassa.model.FraudAssessment;

/**
 * Turns the features of one payment into a fraud verdict: a 0–100 score, a decision
 * ({@code allow} / {@code review} / {@code block}) and the reasons for it. Implementations are pure
 * functions of the snapshot — no I/O, no clock, no shared mutable state — because the topology calls
 * them on its stream threads and replays them after a crash; the same snapshot must give the same
 * verdict every time.
 */
@FunctionalInterface
public interface FraudRules {

    /**
     * Judges one payment.
     *
     * @return the verdict, never {@code null}
     */
    FraudAssessment evaluate(FeatureSnapshot features);

    /**
     * Rules that allow every payment with score 0 and no reasons: the default until rule files are
     * loaded (the fraud issue). Deliberately named for what it does so a production wiring that
     * still uses it stands out.
     */
    static FraudRules allowAll() {
        return features -> FraudAssessment.ALLOWED;
    }
}
