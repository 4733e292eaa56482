package dev.kassa.fraud;

import static dev.kassa.fraud.Snapshots.rule;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.model.FraudAssessment;
import dev.kassa.model.FraudAssessment.Decision;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Precedence, score and reasons of {@link RuleSet#evaluate}, each case against a hand-written expectation. */
class EvaluationTest {

    private static final String SOURCE = Snapshots.SOURCE;

    /** Matches every payment (amount >= 1). */
    private static Rule always(String id, Action action, int weight) {
        return rule(id, Feature.AMOUNT, Comparison.GREATER_OR_EQUAL, 1, action, weight);
    }

    /** Matches no payment (amount > maximum). */
    private static Rule never(String id, Action action, int weight) {
        return rule(id, Feature.AMOUNT, Comparison.GREATER, Feature.AMOUNT.thresholdMax(), action, weight);
    }

    private static RuleSet ruleSet(Set<String> allowList, Set<String> blockList, Rule... rules) {
        return new RuleSet("test-1", 65, 75, allowList, blockList, List.of(rules));
    }

    private static FraudAssessment judge(RuleSet rules) {
        return rules.evaluate(Snapshots.quiet());
    }

    static Stream<Arguments> precedence() {
        return Stream.of(
                Arguments.of("allow list beats block rule and block list of others",
                        ruleSet(Set.of(SOURCE), Set.of("acct_other"), always("blocker", Action.BLOCK, 90)),
                        new FraudAssessment(90, Decision.ALLOW, List.of("source account is on the allow list"))),
                Arguments.of("allow rule beats block list",
                        ruleSet(Set.of(), Set.of(SOURCE), always("trusted", Action.ALLOW, 0), always("blocker", Action.BLOCK, 50)),
                        new FraudAssessment(50, Decision.ALLOW, List.of("reason of trusted"))),
                Arguments.of("allow list and allow rule both give their reasons, list first",
                        ruleSet(Set.of(SOURCE), Set.of(), always("scored", Action.SCORE, 10), always("trusted", Action.ALLOW, 0)),
                        new FraudAssessment(10, Decision.ALLOW, List.of("source account is on the allow list", "reason of trusted"))),
                Arguments.of("block list beats a review rule, its reason first",
                        ruleSet(Set.of(), Set.of(SOURCE), always("reviewer", Action.REVIEW, 5)),
                        new FraudAssessment(5, Decision.BLOCK, List.of("source account is on the block list", "reason of reviewer"))),
                Arguments.of("block rule beats review rule whatever the score",
                        ruleSet(Set.of(), Set.of(), always("reviewer", Action.REVIEW, 0), always("blocker", Action.BLOCK, 0)),
                        new FraudAssessment(0, Decision.BLOCK, List.of("reason of reviewer", "reason of blocker"))),
                Arguments.of("score reaching block threshold blocks without a block rule",
                        ruleSet(Set.of(), Set.of(), always("a", Action.SCORE, 40), always("b", Action.SCORE, 35)),
                        new FraudAssessment(75, Decision.BLOCK, List.of("reason of a", "reason of b"))),
                Arguments.of("review rule reviews a low score",
                        ruleSet(Set.of(), Set.of(), always("reviewer", Action.REVIEW, 1)),
                        new FraudAssessment(1, Decision.REVIEW, List.of("reason of reviewer"))),
                Arguments.of("score reaching review threshold reviews without a review rule",
                        ruleSet(Set.of(), Set.of(), always("a", Action.SCORE, 30), always("b", Action.SCORE, 35)),
                        new FraudAssessment(65, Decision.REVIEW, List.of("reason of a", "reason of b"))),
                Arguments.of("low score without deciding rules allows, reasons still explain the score",
                        ruleSet(Set.of(), Set.of(), always("a", Action.SCORE, 30), never("b", Action.BLOCK, 100)),
                        new FraudAssessment(30, Decision.ALLOW, List.of("reason of a"))),
                Arguments.of("nothing matched allows with score 0 and no reasons",
                        ruleSet(Set.of("acct_other"), Set.of("acct_third"), never("b", Action.BLOCK, 100), never("c", Action.ALLOW, 0)),
                        new FraudAssessment(0, Decision.ALLOW, List.of())),
                Arguments.of("score is capped at 100",
                        ruleSet(Set.of(), Set.of(), always("a", Action.SCORE, 100), always("b", Action.BLOCK, 100)),
                        new FraudAssessment(100, Decision.BLOCK, List.of("reason of a", "reason of b"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("precedence")
    void decisionFollowsRadarPrecedence(String description, RuleSet rules, FraudAssessment expected) {
        assertThat(judge(rules)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "score {0} with thresholds 65/75 gives {1}")
    @CsvSource({"0, ALLOW", "64, ALLOW", "65, REVIEW", "74, REVIEW", "75, BLOCK", "100, BLOCK"})
    void scoreThresholdsAreInclusive(int score, Decision expected) {
        RuleSet rules = score == 0 ? ruleSet(Set.of(), Set.of()) : ruleSet(Set.of(), Set.of(), always("weighted", Action.SCORE, score));

        assertThat(judge(rules).score()).isEqualTo(score);
        assertThat(judge(rules).decision()).isEqualTo(expected);
    }

    @Test
    void equalThresholdsSkipReviewStraightToBlock() {
        RuleSet rules = new RuleSet("t", 50, 50, Set.of(), Set.of(), List.of(always("weighted", Action.SCORE, 50)));

        assertThat(judge(rules).decision()).isEqualTo(Decision.BLOCK);
    }

    @Test
    void allowRulesContributeNoScore() {
        RuleSet rules = ruleSet(Set.of(), Set.of(), always("trusted", Action.ALLOW, 0), always("weighted", Action.SCORE, 20));

        assertThat(judge(rules)).isEqualTo(new FraudAssessment(20, Decision.ALLOW, List.of("reason of trusted")));
    }

    @Test
    void reasonsFollowFileOrderNotWeight() {
        RuleSet rules = ruleSet(Set.of(), Set.of(),
                always("light", Action.SCORE, 1), always("heavy", Action.REVIEW, 60), always("middle", Action.SCORE, 10));

        assertThat(judge(rules).reasons()).containsExactly("reason of light", "reason of heavy", "reason of middle");
    }

    @Test
    void listsApplyToTheSourceNotTheDestination() {
        RuleSet rules = ruleSet(Set.of(), Set.of(Snapshots.DESTINATION));

        assertThat(judge(rules)).isEqualTo(FraudAssessment.ALLOWED);
    }
}
