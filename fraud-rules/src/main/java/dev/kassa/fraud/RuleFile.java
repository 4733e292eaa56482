package dev.kassa.fraud;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The JSON rule-file format of {@link RuleSet}: a strict reader that walks the JSON tree itself, so
 * every error names the rule and field at fault and no value is ever coerced into another type, and
 * the writer that produces what the reader accepts.
 */
final class RuleFile {

    private static final String FILE = "rule file";
    private static final String SET = "rule set";
    private static final List<String> SET_FIELDS = List.of("version", "score_thresholds", "allow_list", "block_list", "rules");
    private static final List<String> THRESHOLD_FIELDS = List.of("review", "block");
    private static final List<String> RULE_FIELDS = List.of("id", "feature", "op", "value", "action", "weight", "reason", "currency");
    /** A rule file is three levels deep; anything much deeper is not a rule file and is refused early. */
    private static final int NESTING_DEPTH_MAX = 16;
    private static final String FEATURE_NAMES = Arrays.stream(Feature.values()).map(Feature::ruleName).collect(Collectors.joining(", "));
    private static final String COMPARISON_SYMBOLS = Arrays.stream(Comparison.values()).map(Comparison::symbol).collect(Collectors.joining(", "));
    private static final String ACTION_NAMES = Arrays.stream(Action.values()).map(Action::ruleName).collect(Collectors.joining(", "));
    private static final Pattern SOURCE_REFERENCE = Pattern.compile("\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)\\]");

    // Not the shared Json mapper: that one tolerates unknown fields for topic compatibility, while a
    // rule file written by a person must be exactly right. Duplicate keys fail in the parser itself.
    private static final ObjectMapper STRICT = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(NESTING_DEPTH_MAX).build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private RuleFile() {
    }

    static RuleSet read(byte[] json) {
        Objects.requireNonNull(json, "json");
        if (json.length > RuleSet.FILE_BYTES_MAX) {
            throw new InvalidRuleSetException(FILE, null, "larger than " + RuleSet.FILE_BYTES_MAX + " bytes");
        }
        JsonObject file = new JsonObject(tree(json), SET);
        file.rejectUnknownFields(SET_FIELDS);
        String version = file.optionalText("version", "a string of 1.." + RuleSet.VERSION_LENGTH_MAX + " visible ASCII characters");
        JsonNode thresholdsNode = file.optional("score_thresholds");
        int reviewThreshold = RuleSet.REVIEW_THRESHOLD_DEFAULT;
        int blockThreshold = RuleSet.BLOCK_THRESHOLD_DEFAULT;
        if (thresholdsNode != null) {
            JsonObject thresholds = new JsonObject(thresholdsNode, SET, "score_thresholds.");
            thresholds.rejectUnknownFields(THRESHOLD_FIELDS);
            String allowed = "an integer within 1.." + RuleSet.SCORE_MAX;
            reviewThreshold = thresholds.optionalInt("review", RuleSet.REVIEW_THRESHOLD_DEFAULT, allowed);
            blockThreshold = thresholds.optionalInt("block", RuleSet.BLOCK_THRESHOLD_DEFAULT, allowed);
        }
        Set<String> allowList = accounts(file, "allow_list");
        Set<String> blockList = accounts(file, "block_list");
        List<Rule> rules = rules(file);
        return new RuleSet(version, reviewThreshold, blockThreshold, allowList, blockList, rules);
    }

    /** Parses one JSON value and refuses anything after it, with a message free of Jackson's internals. */
    private static JsonNode tree(byte[] json) {
        try (JsonParser parser = STRICT.createParser(json)) {
            JsonNode root = STRICT.readTree(parser);
            if (root == null || root.isMissingNode()) {
                throw new InvalidRuleSetException(FILE, null, "empty; allowed: a JSON object");
            }
            if (parser.nextToken() != null) {
                throw new InvalidRuleSetException(FILE, null, "content after the closing brace at line "
                        + parser.currentTokenLocation().getLineNr() + ", column " + parser.currentTokenLocation().getColumnNr()
                        + "; allowed: one JSON object");
            }
            if (!root.isObject()) {
                throw new InvalidRuleSetException(FILE, null, describe(root) + "; allowed: a JSON object");
            }
            return root;
        } catch (StreamConstraintsException e) {
            throw new InvalidRuleSetException(FILE, null, "not valid JSON: beyond the reader's bounds (at most " + NESTING_DEPTH_MAX
                    + " levels of nesting); allowed: a rule file", e);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new InvalidRuleSetException(FILE, null, "not valid JSON" + where + ": " + withoutSource(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a rule file from memory", e);
        }
    }

    /** Jackson names the input inside some messages ("[Source: …; line: 1, column: 27]"); the person reading needs only the place. */
    private static String withoutSource(String message) {
        return message == null ? "" : SOURCE_REFERENCE.matcher(message).replaceAll("line $1, column $2");
    }

    private static Set<String> accounts(JsonObject file, String field) {
        JsonNode list = file.optional(field);
        if (list == null) {
            return Set.of();
        }
        String allowed = "an array of at most " + RuleSet.LIST_ENTRIES_MAX + " account ids";
        file.requireArray(field, list, RuleSet.LIST_ENTRIES_MAX, allowed);
        Set<String> accounts = new LinkedHashSet<>();
        for (int index = 0; index < list.size(); index++) {
            String entry = field + "[" + index + "]";
            JsonNode account = list.get(index);
            if (!account.isTextual()) {
                throw new InvalidRuleSetException(SET, entry, describe(account) + "; allowed: an account id string");
            }
            RuleSet.accountIdProblem(account.textValue()).ifPresent(problem -> {
                throw new InvalidRuleSetException(SET, entry, problem);
            });
            if (!accounts.add(account.textValue())) {
                throw new InvalidRuleSetException(SET, entry, Text.quote(account.textValue())
                        + " is listed twice; allowed: each account once");
            }
        }
        return accounts;
    }

    private static List<Rule> rules(JsonObject file) {
        JsonNode list = file.optional("rules");
        if (list == null) {
            throw new InvalidRuleSetException(SET, "rules", "missing; allowed: an array of at most " + RuleSet.RULES_MAX
                    + " rules (it may be empty)");
        }
        file.requireArray("rules", list, RuleSet.RULES_MAX, "an array of at most " + RuleSet.RULES_MAX + " rules");
        List<Rule> rules = new ArrayList<>(list.size());
        for (int index = 0; index < list.size(); index++) {
            rules.add(rule(list.get(index), index));
        }
        return rules;
    }

    private static Rule rule(JsonNode node, int index) {
        JsonNode idNode = node.isObject() ? node.get("id") : null;
        String subject = RuleSet.subjectOf(idNode != null && idNode.isTextual() ? idNode.textValue() : null, index);
        JsonObject rule = new JsonObject(node, subject);
        rule.rejectUnknownFields(RULE_FIELDS);
        String id = rule.requiredText("id", "1.." + Rule.ID_LENGTH_MAX + " characters of a-z, 0-9, _ and -");
        Rule.idProblem(id).ifPresent(problem -> {
            throw rule.invalid("id", problem);
        });
        Feature feature = named(rule, "feature", Feature::byRuleName, "a feature", FEATURE_NAMES);
        Comparison comparison = named(rule, "op", Comparison::bySymbol, "a comparison", COMPARISON_SYMBOLS);
        long threshold = threshold(rule, feature);
        Action action = named(rule, "action", Action::byRuleName, "an action", ACTION_NAMES);
        int weight = rule.optionalInt("weight", 0, "an integer within 0.." + Rule.WEIGHT_MAX);
        String reason = rule.requiredText("reason", "1.." + Rule.REASON_LENGTH_MAX + " characters");
        String currency = rule.optionalText("currency", "a lower-case ISO 4217 code such as \"usd\", or no field for every currency");
        try {
            return new Rule(id, feature, comparison, threshold, currency, action, weight, reason);
        } catch (InvalidRuleSetException e) {
            throw e.about(subject);
        }
    }

    /** A rule's {@code value}: {@code true}/{@code false} for a boolean feature, an integer for a numeric one. */
    private static long threshold(JsonObject rule, Feature feature) {
        JsonNode value = rule.optional("value");
        if (feature.kind() == Feature.Kind.BOOLEAN) {
            if (value == null || !value.isBoolean()) {
                throw rule.invalid("value", (value == null ? "missing" : describe(value)) + "; allowed: true or false for the boolean feature "
                        + feature.ruleName());
            }
            return value.booleanValue() ? 1 : 0;
        }
        String allowed = "an integer within 0.." + feature.thresholdMax() + " for the numeric feature " + feature.ruleName();
        return rule.requiredLong("value", allowed);
    }

    /** A required name field read through {@code lookup}, e.g. {@code "op": ">"} to {@link Comparison#GREATER}. */
    private static <T> T named(JsonObject rule, String field, Function<String, Optional<T>> lookup, String what, String allowed) {
        String name = rule.requiredText(field, allowed);
        return lookup.apply(name).orElseThrow(() -> rule.invalid(field, Text.quote(name) + " is not " + what + "; allowed: " + allowed));
    }

    /** How a message describes a JSON value that is not what was expected. */
    static String describe(JsonNode node) {
        if (node.isTextual()) {
            return "the string " + Text.quote(node.textValue());
        }
        if (node.isIntegralNumber()) {
            return "the integer " + node.asText();
        }
        if (node.isNumber()) {
            return "the number " + node.asText() + ", which is not an integer";
        }
        if (node.isBoolean() || node.isNull()) {
            return node.asText();
        }
        return node.isArray() ? "an array" : "an object";
    }

    static byte[] write(RuleSet ruleSet) {
        ObjectNode file = STRICT.createObjectNode();
        file.put("version", ruleSet.version());
        file.putObject("score_thresholds").put("review", ruleSet.reviewThreshold()).put("block", ruleSet.blockThreshold());
        ruleSet.allowList().forEach(file.putArray("allow_list")::add);
        ruleSet.blockList().forEach(file.putArray("block_list")::add);
        ArrayNode rules = file.putArray("rules");
        for (Rule rule : ruleSet.rules()) {
            ObjectNode node = rules.addObject().put("id", rule.id()).put("feature", rule.feature().ruleName())
                    .put("op", rule.comparison().symbol());
            if (rule.feature().kind() == Feature.Kind.BOOLEAN) {
                node.put("value", rule.threshold() == 1);
            } else {
                node.put("value", rule.threshold());
            }
            node.put("action", rule.action().ruleName()).put("weight", rule.weight()).put("reason", rule.reason());
            if (rule.currency() != null) {
                node.put("currency", rule.currency());
            }
        }
        try {
            return STRICT.writerWithDefaultPrettyPrinter().writeValueAsBytes(file);
        } catch (JsonProcessingException e) {
            // Every string of a valid rule set is printable, so writing it cannot fail.
            throw new IllegalStateException("cannot write rule set " + ruleSet.version() + " as JSON", e);
        }
    }

    /** One JSON object of a rule file, with the subject and field prefix its error messages use. */
    private static final class JsonObject {
        final JsonNode node;
        final String subject;
        final String prefix;

        JsonObject(JsonNode node, String subject) {
            this(node, subject, "");
        }

        JsonObject(JsonNode node, String subject, String prefix) {
            if (!node.isObject()) {
                String field = prefix.isEmpty() ? null : prefix.substring(0, prefix.length() - 1);
                throw new InvalidRuleSetException(subject, field, describe(node) + "; allowed: a JSON object");
            }
            this.node = node;
            this.subject = subject;
            this.prefix = prefix;
        }

        InvalidRuleSetException invalid(String field, String problem) {
            return new InvalidRuleSetException(subject, prefix + field, problem);
        }

        void rejectUnknownFields(List<String> known) {
            for (String field : (Iterable<String>) node::fieldNames) {
                if (!known.contains(field)) {
                    throw invalid(field, "unknown field; allowed: " + String.join(", ", known));
                }
            }
        }

        /** The field's value, or null when it is absent; an explicit JSON null is refused rather than read as absent. */
        JsonNode optional(String field) {
            JsonNode value = node.get(field);
            if (value != null && value.isNull()) {
                throw invalid(field, "null; allowed: a value, or leave the field out");
            }
            return value;
        }

        String optionalText(String field, String allowed) {
            JsonNode value = optional(field);
            if (value != null && !value.isTextual()) {
                throw invalid(field, describe(value) + "; allowed: " + allowed);
            }
            return value == null ? null : value.textValue();
        }

        String requiredText(String field, String allowed) {
            String value = optionalText(field, allowed);
            if (value == null) {
                throw invalid(field, "missing; allowed: " + allowed);
            }
            return value;
        }

        long requiredLong(String field, String allowed) {
            JsonNode value = optional(field);
            if (value == null) {
                throw invalid(field, "missing; allowed: " + allowed);
            }
            // Only integral JSON numbers: 10.0, "10" and 1e1 are refused, never coerced.
            if (!value.isIntegralNumber()) {
                throw invalid(field, describe(value) + "; allowed: " + allowed);
            }
            if (!value.canConvertToLong()) {
                throw invalid(field, value.asText() + " is out of range; allowed: " + allowed);
            }
            return value.longValue();
        }

        int optionalInt(String field, int absent, String allowed) {
            if (optional(field) == null) {
                return absent;
            }
            long value = requiredLong(field, allowed);
            if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                throw invalid(field, value + " is out of range; allowed: " + allowed);
            }
            return (int) value;
        }

        void requireArray(String field, JsonNode value, int sizeMax, String allowed) {
            if (!value.isArray()) {
                throw invalid(field, describe(value) + "; allowed: " + allowed);
            }
            if (value.size() > sizeMax) {
                throw invalid(field, value.size() + " entries; allowed: " + allowed);
            }
        }
    }
}
