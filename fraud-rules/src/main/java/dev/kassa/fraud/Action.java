package dev.kassa.fraud;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a matching rule does to the decision. {@code allow}, {@code review} and {@code block} decide
 * on their own (with the precedence described in {@link RuleSet#evaluate}); {@code score} only adds
 * the rule's weight to the score, so that several weak signals can add up to a review or a block
 * when none of them would justify one alone.
 */
public enum Action {
    ALLOW,
    REVIEW,
    BLOCK,
    SCORE;

    /** The action's name in rule files: {@code allow}, {@code review}, {@code block} or {@code score}. */
    public String ruleName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The action a rule file names {@code ruleName}, if any. */
    public static Optional<Action> byRuleName(String ruleName) {
        return Arrays.stream(values()).filter(action -> action.ruleName().equals(ruleName)).findFirst();
    }
}
