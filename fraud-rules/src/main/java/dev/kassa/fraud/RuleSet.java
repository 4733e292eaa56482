package dev.kassa.fraud;

import dev.kassa.model.FraudAssessment;
import dev.kassa.model.FraudAssessment.Decision;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable, versioned set of fraud rules with an allow list, a block list and two score
 * thresholds, in the manner of Stripe Radar. It is loaded from a JSON rule file by {@link #parse}
 * (strictly: any error rejects the whole file) and judges a payment by {@link #evaluate}, a pure
 * function whose work is bounded by the number of rules. The constructor enforces every bound of the
 * rule-file format, so a rule set built in code is as valid as one parsed from a file.
 *
 * @param version         1–64 visible ASCII characters naming this rule set in every verdict's context
 * @param reviewThreshold score (1..100) from which a payment is reviewed
 * @param blockThreshold  score (reviewThreshold..100) from which a payment is blocked
 * @param allowList       source accounts whose payments are always allowed (at most 10,000)
 * @param blockList       source accounts whose payments are blocked unless allowed (at most 10,000)
 * @param rules           at most 200 rules with unique ids, in file order
 */
public record RuleSet(String version, int reviewThreshold, int blockThreshold,
                      Set<String> allowList, Set<String> blockList, List<Rule> rules) implements FraudRules {

    public static final int VERSION_LENGTH_MAX = 64;
    public static final int RULES_MAX = 200;
    public static final int LIST_ENTRIES_MAX = 10_000;
    public static final int ACCOUNT_ID_LENGTH_MAX = 64;
    public static final int SCORE_MAX = 100;
    public static final int REVIEW_THRESHOLD_DEFAULT = 65;
    public static final int BLOCK_THRESHOLD_DEFAULT = 75;
    /** The largest rule file {@link #parse} reads: two full lists and 200 rules fit in well under half of it. */
    public static final int FILE_BYTES_MAX = 4 * 1024 * 1024;

    static final String ALLOW_LIST_REASON = "source account is on the allow list";
    static final String BLOCK_LIST_REASON = "source account is on the block list";

    private static final String DEFAULTS_RESOURCE = "/dev/kassa/fraud/default-rules.json";
    private static final String SUBJECT = "rule set";

    public RuleSet {
        if (version == null || !Text.isVisibleAscii(version, VERSION_LENGTH_MAX)) {
            throw new InvalidRuleSetException(SUBJECT, "version", (version == null ? "missing" : Text.quote(version) + " is not a valid version")
                    + "; allowed: 1.." + VERSION_LENGTH_MAX + " visible ASCII characters, no spaces");
        }
        requireThresholds(reviewThreshold, blockThreshold);
        allowList = copyOfAccounts("allow_list", allowList);
        blockList = copyOfAccounts("block_list", blockList);
        for (String account : blockList) {
            if (allowList.contains(account)) {
                throw new InvalidRuleSetException(SUBJECT, "block_list", "account " + Text.quote(account)
                        + " is also on the allow list; allowed: each account on at most one list");
            }
        }
        rules = copyOfRules(rules);
    }

    private static void requireThresholds(int reviewThreshold, int blockThreshold) {
        requireScore("score_thresholds.review", reviewThreshold);
        requireScore("score_thresholds.block", blockThreshold);
        if (reviewThreshold > blockThreshold) {
            throw new InvalidRuleSetException(SUBJECT, "score_thresholds", "review " + reviewThreshold + " is above block "
                    + blockThreshold + "; allowed: review <= block");
        }
    }

    private static void requireScore(String field, int threshold) {
        if (threshold < 1 || threshold > SCORE_MAX) {
            throw new InvalidRuleSetException(SUBJECT, field, threshold + " is out of range; allowed: an integer within 1.." + SCORE_MAX);
        }
    }

    private static Set<String> copyOfAccounts(String field, Set<String> accounts) {
        Objects.requireNonNull(accounts, field);
        if (accounts.size() > LIST_ENTRIES_MAX) {
            throw new InvalidRuleSetException(SUBJECT, field, accounts.size() + " accounts; allowed: at most " + LIST_ENTRIES_MAX);
        }
        for (String account : accounts) {
            accountIdProblem(account).ifPresent(problem -> {
                throw new InvalidRuleSetException(SUBJECT, field, problem);
            });
        }
        // Insertion order is kept so that toJson writes the lists back as the file had them.
        return Collections.unmodifiableSet(new LinkedHashSet<>(accounts));
    }

    /** What is wrong with {@code account} as an allow- or block-list entry, if anything. */
    static Optional<String> accountIdProblem(String account) {
        if (account != null && !account.isBlank() && account.length() <= ACCOUNT_ID_LENGTH_MAX && Text.isPrintable(account)) {
            return Optional.empty();
        }
        return Optional.of((account == null ? "null" : Text.quote(account)) + " is not a valid account id; allowed: 1.."
                + ACCOUNT_ID_LENGTH_MAX + " characters, not all blank, without control characters");
    }

    private static List<Rule> copyOfRules(List<Rule> rules) {
        Objects.requireNonNull(rules, "rules");
        if (rules.size() > RULES_MAX) {
            throw new InvalidRuleSetException(SUBJECT, "rules", rules.size() + " rules; allowed: at most " + RULES_MAX);
        }
        List<Rule> copy = List.copyOf(rules);
        Map<String, Integer> indexById = new HashMap<>();
        for (int index = 0; index < copy.size(); index++) {
            Integer earlier = indexById.putIfAbsent(copy.get(index).id(), index);
            if (earlier != null) {
                throw new InvalidRuleSetException(subjectOf(copy.get(index).id(), index), "id",
                        "the id of rules[" + earlier + "] too; allowed: an id used by one rule only");
            }
        }
        return copy;
    }

    /** How messages name the rule at {@code index}: {@code rule "velocity-1m" (rules[0])}, or {@code rules[0]} without an id. */
    static String subjectOf(String id, int index) {
        return id == null ? "rules[" + index + "]" : "rule " + Text.quote(id) + " (rules[" + index + "])";
    }

    /** A rule set without lists or rules: it allows every payment with score 0 and no reasons. */
    public static RuleSet empty(String version) {
        return new RuleSet(version, REVIEW_THRESHOLD_DEFAULT, BLOCK_THRESHOLD_DEFAULT, Set.of(), Set.of(), List.of());
    }

    /**
     * Reads a rule file strictly: unknown or duplicate fields, values of the wrong type or out of
     * bounds, and trailing content are all errors, and any error rejects the whole file.
     *
     * @throws InvalidRuleSetException naming the rule (id and index) and field at fault
     */
    public static RuleSet parse(byte[] json) {
        return RuleFile.read(json);
    }

    /** The rule set shipped in the jar ({@code dev/kassa/fraud/default-rules.json}), read through {@link #parse}. */
    public static RuleSet defaults() {
        return parse(defaultRuleFile());
    }

    /** The default rule file as shipped in the jar, byte for byte, for users to start a rule file from. */
    public static byte[] defaultRuleFile() {
        try (InputStream in = RuleSet.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the default rule set " + DEFAULTS_RESOURCE + " is missing from the classpath");
            }
            return in.readNBytes(FILE_BYTES_MAX + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the default rule set " + DEFAULTS_RESOURCE, e);
        }
    }

    /** This rule set as a rule file that {@link #parse} reads back to an equal rule set. */
    public byte[] toJson() {
        return RuleFile.write(this);
    }

    /**
     * Judges one payment. Every rule whose currency and comparison hold matches; the score is the sum
     * of the matched rules' weights, capped at 100. The decision is, in order of precedence:
     * <ol>
     *   <li>{@code allow} if the source is on the allow list or an {@code allow} rule matched — the
     *       reasons are then those of the allow matches only;</li>
     *   <li>{@code block} if the source is on the block list, a {@code block} rule matched, or the
     *       score reaches the block threshold;</li>
     *   <li>{@code review} if a {@code review} rule matched or the score reaches the review threshold;</li>
     *   <li>{@code allow} otherwise.</li>
     * </ol>
     * A list's reason comes first, then the matched rules' reasons in file order. The score is
     * reported whatever the decision.
     */
    @Override
    public FraudAssessment evaluate(FeatureSnapshot features) {
        Objects.requireNonNull(features, "features");
        List<Rule> matched = new ArrayList<>();
        int weights = 0; // at most 200 rules × 100, far from overflow
        for (Rule rule : rules) {
            if (rule.matches(features)) {
                matched.add(rule);
                weights += rule.weight();
            }
        }
        int score = Math.min(SCORE_MAX, weights);
        String source = features.sourceAccountId();
        List<String> allowReasons = reasons(allowList.contains(source) ? ALLOW_LIST_REASON : null, matched, Action.ALLOW);
        if (!allowReasons.isEmpty()) {
            return new FraudAssessment(score, Decision.ALLOW, allowReasons);
        }
        // No allow rule matched past this point, so every matched rule explains the verdict.
        boolean blockListed = blockList.contains(source);
        List<String> reasons = reasons(blockListed ? BLOCK_LIST_REASON : null, matched, null);
        return new FraudAssessment(score, decide(score, blockListed, matched), reasons);
    }

    private Decision decide(int score, boolean blockListed, List<Rule> matched) {
        if (blockListed || score >= blockThreshold || matched.stream().anyMatch(rule -> rule.action() == Action.BLOCK)) {
            return Decision.BLOCK;
        }
        if (score >= reviewThreshold || matched.stream().anyMatch(rule -> rule.action() == Action.REVIEW)) {
            return Decision.REVIEW;
        }
        return Decision.ALLOW;
    }

    /** The list reason (if any), then the reasons of the matched rules with {@code action} (or all when null). */
    private static List<String> reasons(String listReason, List<Rule> matched, Action action) {
        List<String> reasons = new ArrayList<>();
        if (listReason != null) {
            reasons.add(listReason);
        }
        for (Rule rule : matched) {
            if (action == null || rule.action() == action) {
                reasons.add(rule.reason());
            }
        }
        return reasons;
    }
}
