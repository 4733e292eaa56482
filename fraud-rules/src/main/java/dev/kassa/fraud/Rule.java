package dev.kassa.fraud;

import dev.kassa.model.Currencies;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One fraud rule: when {@code feature <comparison> threshold} holds for a payment in
 * {@code currency} (or in any currency when it is null), the rule matches, adds its weight to the
 * score and applies its action. A boolean feature's threshold is 1 for {@code true} and 0 for
 * {@code false}. The constructor enforces every bound a rule file must respect, so a rule that exists
 * is a valid rule whichever way it was built.
 *
 * @param id         1–64 characters of {@code [a-z0-9_-]}, unique within its rule set
 * @param feature    what the rule looks at
 * @param comparison how it compares; only {@code ==} and {@code !=} for boolean features
 * @param threshold  0..{@link Feature#thresholdMax()}
 * @param currency   canonical lower-case ISO 4217 code the rule is limited to, or null for every currency
 * @param action     what a match does to the decision
 * @param weight     0..100 added to the score on a match; must be 0 for an {@code allow} rule
 * @param reason     1–200 printable characters, shown with the verdict
 */
public record Rule(String id, Feature feature, Comparison comparison, long threshold, String currency,
                   Action action, int weight, String reason) {

    public static final int ID_LENGTH_MAX = 64;
    public static final int WEIGHT_MAX = 100;
    public static final int REASON_LENGTH_MAX = 200;

    private static final Pattern ID = Pattern.compile("[a-z0-9_-]{1," + ID_LENGTH_MAX + "}");

    public Rule {
        String subject = id == null ? "rule" : "rule " + Text.quote(id);
        idProblem(id).ifPresent(problem -> {
            throw new InvalidRuleSetException(subject, "id", problem);
        });
        Objects.requireNonNull(feature, () -> subject + ": feature");
        Objects.requireNonNull(comparison, () -> subject + ": comparison");
        Objects.requireNonNull(action, () -> subject + ": action");
        Objects.requireNonNull(reason, () -> subject + ": reason");
        requireComparableThreshold(subject, feature, comparison, threshold);
        if (currency != null && !Currencies.isCanonical(currency)) {
            String hint = Currencies.normalize(currency).map(canonical -> " (write " + Text.quote(canonical) + ")").orElse("");
            throw new InvalidRuleSetException(subject, "currency", Text.quote(currency) + " is not a canonical currency" + hint
                    + "; allowed: a lower-case ISO 4217 code with a minor unit, such as \"usd\", or no field for every currency");
        }
        requireWeight(subject, action, weight);
        if (reason.isBlank() || reason.length() > REASON_LENGTH_MAX || !Text.isPrintable(reason)) {
            throw new InvalidRuleSetException(subject, "reason", Text.quote(reason) + " is not a valid reason; allowed: 1.."
                    + REASON_LENGTH_MAX + " characters, not all blank, without control characters");
        }
    }

    /** What is wrong with {@code id} as a rule id, if anything; the parser asks first so that a bad id is the first error reported. */
    static Optional<String> idProblem(String id) {
        if (id != null && ID.matcher(id).matches()) {
            return Optional.empty();
        }
        return Optional.of((id == null ? "missing" : Text.quote(id) + " is not a valid id")
                + "; allowed: 1.." + ID_LENGTH_MAX + " characters of a-z, 0-9, _ and -");
    }

    private static void requireComparableThreshold(String subject, Feature feature, Comparison comparison, long threshold) {
        if (feature.kind() == Feature.Kind.BOOLEAN) {
            if (!comparison.isEquality()) {
                throw new InvalidRuleSetException(subject, "op", "\"" + comparison.symbol() + "\" cannot compare the boolean feature "
                        + feature.ruleName() + "; allowed: == or !=");
            }
            if (threshold != 0 && threshold != 1) {
                throw new InvalidRuleSetException(subject, "value", threshold + " is not a boolean; allowed: true or false");
            }
        } else if (threshold < 0 || threshold > feature.thresholdMax()) {
            throw new InvalidRuleSetException(subject, "value", threshold + " is out of range for " + feature.ruleName()
                    + "; allowed: an integer within 0.." + feature.thresholdMax());
        }
    }

    private static void requireWeight(String subject, Action action, int weight) {
        if (weight < 0 || weight > WEIGHT_MAX) {
            throw new InvalidRuleSetException(subject, "weight", weight + " is out of range; allowed: an integer within 0.." + WEIGHT_MAX);
        }
        // An allow rule overrides the score, so a weight on it would suggest an effect it cannot have.
        if (action == Action.ALLOW && weight != 0) {
            throw new InvalidRuleSetException(subject, "weight", weight + " on an allow rule; allowed: 0 or no weight, since an allow"
                    + " rule decides regardless of the score");
        }
    }

    /** True when this rule applies to {@code payment}'s currency and its comparison holds. */
    public boolean matches(FeatureSnapshot payment) {
        return (currency == null || currency.equals(payment.currency()))
                && comparison.test(feature.valueOf(payment), threshold);
    }
}
