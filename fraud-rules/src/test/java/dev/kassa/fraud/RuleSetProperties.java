package dev.kassa.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.fraud.FeatureSnapshot.Window;
import dev.kassa.model.FraudAssessment;
import dev.kassa.model.FraudAssessment.Decision;
import dev.kassa.model.Money;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of rule evaluation and of the rule-file round trip over generated rule sets and
 * snapshots. Sources are drawn from a small pool that the generated allow and block lists also draw
 * from, and thresholds are often small, so that lists and rules actually match.
 */
class RuleSetProperties {

    private static final List<String> SOURCES = List.of("acct_a", "acct_b", "acct_c", "acct_d");

    @Property
    void scoreIsAlwaysWithinZeroAndOneHundred(@ForAll("ruleSets") RuleSet rules, @ForAll("snapshots") FeatureSnapshot payment) {
        assertThat(rules.evaluate(payment).score()).isBetween(0, 100);
    }

    @Property
    void evaluationIsDeterministic(@ForAll("ruleSets") RuleSet rules, @ForAll("snapshots") FeatureSnapshot payment) {
        assertThat(rules.evaluate(payment)).isEqualTo(rules.evaluate(payment));
        assertThat(RuleSet.parse(rules.toJson()).evaluate(payment)).isEqualTo(rules.evaluate(payment));
    }

    @Property
    void evaluationAgreesWithTheDocumentedPrecedence(@ForAll("ruleSets") RuleSet rules, @ForAll("snapshots") FeatureSnapshot payment) {
        FraudAssessment verdict = rules.evaluate(payment);
        Statistics.label("decision").collect(verdict.decision());

        assertThat(verdict).isEqualTo(Oracle.judge(rules, payment));
        // Without these the property could pass by generating only unmatched rules.
        Statistics.label("decision").coverage(coverage -> {
            for (Decision decision : Decision.values()) {
                coverage.check(decision).count(count -> count > 0);
            }
        });
    }

    @Property
    void allowListedSourceIsAlwaysAllowed(@ForAll("ruleSets") RuleSet rules, @ForAll("snapshots") FeatureSnapshot payment) {
        String source = payment.sourceAccountId();
        RuleSet listed = new RuleSet(rules.version(), rules.reviewThreshold(), rules.blockThreshold(),
                with(rules.allowList(), source), without(rules.blockList(), source), rules.rules());

        FraudAssessment verdict = listed.evaluate(payment);

        assertThat(verdict.decision()).isEqualTo(Decision.ALLOW);
        assertThat(verdict.reasons()).first().isEqualTo("source account is on the allow list");
    }

    @Property
    void blockListedSourceIsBlockedUnlessAnAllowRuleMatches(@ForAll("ruleSets") RuleSet rules, @ForAll("snapshots") FeatureSnapshot payment) {
        String source = payment.sourceAccountId();
        RuleSet listed = new RuleSet(rules.version(), rules.reviewThreshold(), rules.blockThreshold(),
                without(rules.allowList(), source), with(rules.blockList(), source), rules.rules());
        boolean allowRuleMatches = rules.rules().stream().anyMatch(rule -> rule.action() == Action.ALLOW && rule.matches(payment));

        assertThat(listed.evaluate(payment).decision()).isEqualTo(allowRuleMatches ? Decision.ALLOW : Decision.BLOCK);
    }

    @Property
    void addingAMatchingBlockRuleNeverUnblocks(@ForAll("ruleSets") RuleSet rules, @ForAll("snapshots") FeatureSnapshot payment,
                                               @ForAll("weights") int weight) {
        List<Rule> more = new ArrayList<>(rules.rules());
        more.add(new Rule("added-block", Feature.AMOUNT, Comparison.GREATER_OR_EQUAL, 1, null, Action.BLOCK, weight, "added"));
        RuleSet stricter = new RuleSet(rules.version(), rules.reviewThreshold(), rules.blockThreshold(),
                rules.allowList(), rules.blockList(), more);

        if (rules.evaluate(payment).decision() == Decision.BLOCK) {
            assertThat(stricter.evaluate(payment).decision()).isEqualTo(Decision.BLOCK);
        }
        assertThat(rank(stricter.evaluate(payment).decision())).isGreaterThanOrEqualTo(rank(rules.evaluate(payment).decision()));
    }

    @Property
    void withOnlyWeightedRulesAHigherScoreNeverGivesAWeakerDecision(@ForAll("scoreOnlyRuleSets") RuleSet rules,
                                                                     @ForAll("snapshots") FeatureSnapshot first,
                                                                     @ForAll("snapshots") FeatureSnapshot second) {
        FraudAssessment one = rules.evaluate(first);
        FraudAssessment other = rules.evaluate(second);

        if (one.score() <= other.score()) {
            assertThat(rank(one.decision())).isLessThanOrEqualTo(rank(other.decision()));
        }
        assertThat(rank(one.decision())).isEqualTo(one.score() >= rules.blockThreshold() ? 2 : one.score() >= rules.reviewThreshold() ? 1 : 0);
    }

    @Property
    void toJsonParsesBackToAnEqualRuleSet(@ForAll("ruleSets") RuleSet rules) {
        assertThat(RuleSet.parse(rules.toJson())).isEqualTo(rules);
    }

    private static int rank(Decision decision) {
        return switch (decision) {
            case ALLOW -> 0;
            case REVIEW -> 1;
            case BLOCK -> 2;
        };
    }

    private static Set<String> with(Set<String> accounts, String account) {
        Set<String> copy = new LinkedHashSet<>(accounts);
        copy.add(account);
        return copy;
    }

    private static Set<String> without(Set<String> accounts, String account) {
        Set<String> copy = new LinkedHashSet<>(accounts);
        copy.remove(account);
        return copy;
    }

    @Provide
    Arbitrary<Integer> weights() {
        return Arbitraries.integers().between(0, Rule.WEIGHT_MAX);
    }

    @Provide
    Arbitrary<RuleSet> ruleSets() {
        return ruleSetsOf(Arbitraries.of(Action.class));
    }

    @Provide
    Arbitrary<RuleSet> scoreOnlyRuleSets() {
        return ruleSetsOf(Arbitraries.just(Action.SCORE)).map(rules -> new RuleSet(rules.version(), rules.reviewThreshold(),
                rules.blockThreshold(), Set.of(), Set.of(), rules.rules()));
    }

    private static Arbitrary<RuleSet> ruleSetsOf(Arbitrary<Action> actions) {
        Arbitrary<String> versions = Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(RuleSet.VERSION_LENGTH_MAX);
        Arbitrary<List<Integer>> thresholds = Arbitraries.integers().between(1, RuleSet.SCORE_MAX).list().ofSize(2)
                .map(pair -> pair.stream().sorted().toList());
        // Each account lands on no list (0), the allow list (1) or the block list (2), so the lists never overlap.
        Arbitrary<Map<String, Integer>> listings = Arbitraries.maps(accounts(), Arbitraries.integers().between(0, 2)).ofMaxSize(8);
        Arbitrary<List<Rule>> rules = rules(actions).list().ofMaxSize(20).uniqueElements(Rule::id);
        return Combinators.combine(versions, thresholds, listings, rules).as((version, pair, listing, list) -> new RuleSet(
                version, pair.get(0), pair.get(1), listed(listing, 1), listed(listing, 2), list));
    }

    private static Set<String> listed(Map<String, Integer> listing, int list) {
        Set<String> accounts = new LinkedHashSet<>();
        listing.forEach((account, where) -> {
            if (where == list) {
                accounts.add(account);
            }
        });
        return accounts;
    }

    private static Arbitrary<String> accounts() {
        return Arbitraries.oneOf(Arbitraries.of(SOURCES),
                Arbitraries.strings().alpha().numeric().withChars("_-é€ ").ofMinLength(1).ofMaxLength(RuleSet.ACCOUNT_ID_LENGTH_MAX)
                        .filter(account -> !account.isBlank()));
    }

    private static Arbitrary<Rule> rules(Arbitrary<Action> actions) {
        Arbitrary<String> ids = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789_-").ofMinLength(1).ofMaxLength(Rule.ID_LENGTH_MAX);
        Arbitrary<String> currencies = Arbitraries.of("usd", "eur", "jpy").injectNull(0.5);
        Arbitrary<String> reasons = Arbitraries.strings().alpha().numeric().withChars(" ,.-'é€\"\\")
                .ofMinLength(1).ofMaxLength(Rule.REASON_LENGTH_MAX).filter(reason -> !reason.isBlank());
        return Arbitraries.of(Feature.class).flatMap(feature -> Combinators.combine(
                        ids, comparisons(feature), thresholds(feature), currencies, actions, Arbitraries.integers().between(0, Rule.WEIGHT_MAX), reasons)
                .as((id, comparison, threshold, currency, action, weight, reason) -> new Rule(
                        id, feature, comparison, threshold, currency, action, action == Action.ALLOW ? 0 : weight, reason)));
    }

    private static Arbitrary<Comparison> comparisons(Feature feature) {
        return feature.kind() == Feature.Kind.BOOLEAN
                ? Arbitraries.of(Comparison.EQUAL, Comparison.NOT_EQUAL)
                : Arbitraries.of(Comparison.class);
    }

    private static Arbitrary<Long> thresholds(Feature feature) {
        return feature.kind() == Feature.Kind.BOOLEAN
                ? Arbitraries.longs().between(0, 1)
                : Arbitraries.oneOf(Arbitraries.longs().between(0, 30), Arbitraries.longs().between(0, feature.thresholdMax()));
    }

    @Provide
    Arbitrary<FeatureSnapshot> snapshots() {
        Arbitrary<Long> amounts = Arbitraries.oneOf(Arbitraries.longs().between(1, 30), Arbitraries.longs().between(1, Money.AMOUNT_MAX));
        Arbitrary<List<Long>> counts = Arbitraries.oneOf(Arbitraries.longs().between(1, 30), Arbitraries.longs().between(1, 1_000_000_000L))
                .list().ofSize(3).map(three -> three.stream().sorted().toList());
        Arbitrary<List<Long>> sums = Arbitraries.oneOf(Arbitraries.longs().between(0, 30), Arbitraries.longs().between(0, 1_000_000_000_000_000L))
                .list().ofSize(3).map(three -> three.stream().sorted().toList());
        Arbitrary<Integer> distinct = Arbitraries.oneOf(Arbitraries.integers().between(1, 30),
                Arbitraries.integers().between(1, FeatureSnapshot.DISTINCT_DESTINATIONS_MAX));
        Arbitrary<Integer> declines = Arbitraries.oneOf(Arbitraries.integers().between(0, 30), Arbitraries.integers().between(0, Integer.MAX_VALUE));
        return Combinators.combine(Arbitraries.of(SOURCES), amounts, Arbitraries.of("usd", "eur", "jpy"), counts, sums, distinct,
                        Arbitraries.of(true, false), declines)
                .as((source, amount, currency, count, sum, destinations, paidBefore, declined) -> new FeatureSnapshot(
                        source, "acct_destination", amount, currency, new Window(count.get(0), sum.get(0)),
                        new Window(count.get(1), sum.get(1)), new Window(count.get(2), sum.get(2)), destinations, paidBefore, declined));
    }

    /** An independent model of evaluation written straight from docs/fraud.md, sharing no code with RuleSet. */
    private static final class Oracle {

        static FraudAssessment judge(RuleSet rules, FeatureSnapshot payment) {
            List<Rule> matched = rules.rules().stream().filter(rule -> matches(rule, payment)).toList();
            int score = Math.min(100, matched.stream().mapToInt(Rule::weight).sum());
            boolean allowListed = rules.allowList().contains(payment.sourceAccountId());
            List<Rule> allows = matched.stream().filter(rule -> rule.action() == Action.ALLOW).toList();
            if (allowListed || !allows.isEmpty()) {
                List<String> reasons = new ArrayList<>(allowListed ? List.of("source account is on the allow list") : List.of());
                allows.forEach(rule -> reasons.add(rule.reason()));
                return new FraudAssessment(score, Decision.ALLOW, reasons);
            }
            boolean blockListed = rules.blockList().contains(payment.sourceAccountId());
            List<String> reasons = new ArrayList<>(blockListed ? List.of("source account is on the block list") : List.of());
            matched.forEach(rule -> reasons.add(rule.reason()));
            Decision decision = blockListed || score >= rules.blockThreshold() || has(matched, Action.BLOCK) ? Decision.BLOCK
                    : score >= rules.reviewThreshold() || has(matched, Action.REVIEW) ? Decision.REVIEW
                    : Decision.ALLOW;
            return new FraudAssessment(score, decision, reasons);
        }

        private static boolean has(List<Rule> matched, Action action) {
            return matched.stream().anyMatch(rule -> rule.action() == action);
        }

        private static boolean matches(Rule rule, FeatureSnapshot payment) {
            if (rule.currency() != null && !rule.currency().equals(payment.currency())) {
                return false;
            }
            long value = value(rule.feature().ruleName(), payment);
            return switch (rule.comparison().symbol()) {
                case ">" -> value > rule.threshold();
                case ">=" -> value >= rule.threshold();
                case "<" -> value < rule.threshold();
                case "<=" -> value <= rule.threshold();
                case "==" -> value == rule.threshold();
                case "!=" -> value != rule.threshold();
                default -> throw new IllegalArgumentException(rule.comparison().symbol());
            };
        }

        private static long value(String feature, FeatureSnapshot payment) {
            return switch (feature) {
                case "amount" -> payment.amount();
                case "count_1m" -> payment.lastMinute().count();
                case "sum_1m" -> payment.lastMinute().sum();
                case "count_1h" -> payment.lastHour().count();
                case "sum_1h" -> payment.lastHour().sum();
                case "count_24h" -> payment.lastDay().count();
                case "sum_24h" -> payment.lastDay().sum();
                case "distinct_destinations_1h" -> payment.distinctDestinationsLastHour();
                case "paid_destination_before" -> payment.paidDestinationBefore() ? 1 : 0;
                case "declines_1h" -> payment.declinesLastHour();
                default -> throw new IllegalArgumentException(feature);
            };
        }
    }
}
