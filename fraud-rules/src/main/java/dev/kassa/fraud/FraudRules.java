package dev.kassa.fraud;

import dev.kassa.model.FraudAssessment;

/**
 * Turns the features of one payment into a fraud verdict: a 0–100 score, a decision
 * ({@code allow} / {@code review} / {@code block}) and the reasons for it. Implementations are pure
 * functions of the snapshot — no I/O, no clock, no shared mutable state — because the topology calls
 * them on its stream threads and replays them after a crash; the same snapshot must give the same
 * verdict every time. {@link RuleSet} is the implementation loaded from rule files.
 */
@FunctionalInterface
public interface FraudRules {

    /** The version of {@link #allowAll()}. */
    String ALLOW_ALL_VERSION = "allow-all";

    /**
     * Judges one payment.
     *
     * @return the verdict, never {@code null}
     */
    FraudAssessment evaluate(FeatureSnapshot features);

    /**
     * The name of these rules as decisions and the state endpoint report it. Hand-written rules
     * (lambdas in tests) have no version and report {@code unversioned}.
     */
    default String version() {
        return "unversioned";
    }

    /**
     * Rules that allow every payment with score 0 and no reasons: an empty {@link RuleSet} with
     * version {@value #ALLOW_ALL_VERSION}. Deliberately named for what it does so a production wiring
     * that still uses it stands out.
     */
    static FraudRules allowAll() {
        return RuleSet.empty(ALLOW_ALL_VERSION);
    }
}
