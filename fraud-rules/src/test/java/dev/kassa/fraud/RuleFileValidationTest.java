package dev.kassa.fraud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One case per validation rule of the rule-file format. Bad rules are placed second, after a valid
 * rule, so each case also shows that one bad rule rejects the whole file and that the message names
 * the bad rule's id and index, the field, and what is allowed.
 */
class RuleFileValidationTest {

    private static final String GOOD_RULE = """
            {"id": "fine", "feature": "amount", "op": ">", "value": 100, "action": "review", "weight": 10, "reason": "fine"}""";
    private static final String A65 = "a".repeat(65);

    /** The fields of a valid block rule with id "bad", as raw JSON values. */
    private static Map<String, String> validBadRule() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", "\"bad\"");
        fields.put("feature", "\"count_1m\"");
        fields.put("op", "\">\"");
        fields.put("value", "10");
        fields.put("action", "\"block\"");
        fields.put("weight", "50");
        fields.put("reason", "\"too many\"");
        return fields;
    }

    /** The second rule of a file: a valid rule with {@code field} set to {@code value}, or removed when it is null. */
    private static String fileWithSecondRule(String... fieldValuePairs) {
        Map<String, String> fields = validBadRule();
        for (int index = 0; index < fieldValuePairs.length; index += 2) {
            if (fieldValuePairs[index + 1] == null) {
                fields.remove(fieldValuePairs[index]);
            } else {
                fields.put(fieldValuePairs[index], fieldValuePairs[index + 1]);
            }
        }
        String rule = fields.entrySet().stream().map(entry -> "\"" + entry.getKey() + "\": " + entry.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
        return "{\"version\": \"test-1\", \"rules\": [" + GOOD_RULE + ",\n " + rule + "]}";
    }

    private static Arguments badRule(String description, String field, String expected, String... fieldValuePairs) {
        return Arguments.of(description, fileWithSecondRule(fieldValuePairs), "rule \"bad\" (rules[1]): field \"" + field + "\"", expected);
    }

    static Stream<Arguments> badRules() {
        return Stream.of(
                Arguments.of("missing id", fileWithSecondRule("id", null), "rules[1]: field \"id\"", "missing"),
                Arguments.of("id not a string", fileWithSecondRule("id", "42"), "rules[1]: field \"id\"", "the integer 42"),
                Arguments.of("id with capitals", fileWithSecondRule("id", "\"Bad\""), "rule \"Bad\" (rules[1]): field \"id\"",
                        "allowed: 1..64 characters of a-z, 0-9, _ and -"),
                Arguments.of("id too long", fileWithSecondRule("id", "\"" + A65 + "\""), "(rules[1]): field \"id\"", "not a valid id"),
                Arguments.of("id empty", fileWithSecondRule("id", "\"\""), "rule \"\" (rules[1]): field \"id\"", "not a valid id"),
                Arguments.of("id used twice", fileWithSecondRule("id", "\"fine\""), "rule \"fine\" (rules[1]): field \"id\"", "rules[0]"),
                badRule("unknown feature", "feature", "\"count_1d\" is not a feature; allowed: amount, count_1m", "feature", "\"count_1d\""),
                badRule("missing feature", "feature", "missing", "feature", null),
                badRule("unknown op", "op", "\"=>\" is not a comparison; allowed: >, >=, <, <=, ==, !=", "op", "\"=>\""),
                badRule("missing op", "op", "missing", "op", null),
                badRule("missing value", "value", "missing; allowed: an integer within 0..1000000000", "value", null),
                badRule("fractional value", "value", "the number 10.5, which is not an integer", "value", "10.5"),
                badRule("float value not coerced", "value", "not an integer", "value", "10.0"),
                badRule("exponent value not coerced", "value", "not an integer", "value", "1e1"),
                badRule("string value not coerced", "value", "the string \"10\"", "value", "\"10\""),
                badRule("negative value", "value", "-1 is out of range for count_1m; allowed: an integer within 0..1000000000", "value", "-1"),
                badRule("value above the feature's bound", "value", "1000000001 is out of range", "value", "1000000001"),
                badRule("value beyond long", "value", "99999999999999999999 is out of range", "value", "99999999999999999999"),
                badRule("boolean for numeric feature", "value", "true; allowed: an integer", "value", "true"),
                badRule("number for boolean feature", "value", "the integer 0; allowed: true or false",
                        "feature", "\"paid_destination_before\"", "op", "\"==\"", "value", "0"),
                badRule("ordering comparison on boolean feature", "op", "allowed: == or !=",
                        "feature", "\"paid_destination_before\"", "op", "\">\"", "value", "false"),
                badRule("unknown action", "action", "\"deny\" is not an action; allowed: allow, review, block, score", "action", "\"deny\""),
                badRule("missing action", "action", "missing", "action", null),
                badRule("weight above 100", "weight", "101 is out of range; allowed: an integer within 0..100", "weight", "101"),
                badRule("negative weight", "weight", "-1 is out of range", "weight", "-1"),
                badRule("weight beyond int", "weight", "5000000000 is out of range", "weight", "5000000000"),
                badRule("fractional weight", "weight", "not an integer", "weight", "1.5"),
                badRule("string weight", "weight", "the string \"50\"", "weight", "\"50\""),
                badRule("weight on allow rule", "weight", "50 on an allow rule; allowed: 0", "action", "\"allow\""),
                badRule("missing reason", "reason", "missing", "reason", null),
                badRule("empty reason", "reason", "allowed: 1..200 characters", "reason", "\"\""),
                badRule("blank reason", "reason", "not all blank", "reason", "\"   \""),
                badRule("reason too long", "reason", "not a valid reason", "reason", "\"" + "r".repeat(201) + "\""),
                badRule("reason with control character", "reason", "without control characters", "reason", "\"bell\\u0007\""),
                badRule("upper-case currency", "currency", "\"USD\" is not a canonical currency (write \"usd\")", "currency", "\"USD\""),
                badRule("unknown currency", "currency", "\"xyz\" is not a canonical currency; allowed: a lower-case ISO 4217", "currency", "\"xyz\""),
                badRule("currency without minor unit", "currency", "is not a canonical currency", "currency", "\"xau\""),
                badRule("null currency", "currency", "null; allowed: a value, or leave the field out", "currency", "null"),
                badRule("numeric currency", "currency", "the integer 840", "currency", "840"),
                badRule("unknown field", "weigth", "unknown field; allowed: id, feature, op, value, action, weight, reason, currency",
                        "weigth", "5"),
                Arguments.of("bad id reported before the missing fields after it", "{\"version\": \"t\", \"rules\": [{\"id\": \"Bad\"}]}",
                        "rule \"Bad\" (rules[0]): field \"id\"", "not a valid id"),
                Arguments.of("rule not an object", "{\"version\": \"t\", \"rules\": [" + GOOD_RULE + ", \"bad\"]}",
                        "rules[1]", "the string \"bad\"; allowed: a JSON object"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRules")
    void fileWithOneBadRuleIsRejectedWholeNamingRuleAndField(String description, String json, String subjectAndField, String expected) {
        assertThatThrownBy(() -> RuleSet.parse(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidRuleSetException.class)
                .hasMessageContaining(subjectAndField)
                .hasMessageContaining(expected);
    }

    private static Arguments badSet(String description, String json, String field, String expected) {
        return Arguments.of(description, json, "rule set: field \"" + field + "\"", expected);
    }

    private static String list(int size) {
        return IntStream.range(0, size).mapToObj(index -> "\"acct_" + index + "\"").collect(Collectors.joining(",", "[", "]"));
    }

    static Stream<Arguments> badSets() {
        String rules201 = IntStream.range(0, 201)
                .mapToObj(index -> GOOD_RULE.replace("\"fine\", \"feature\"", "\"r" + index + "\", \"feature\""))
                .collect(Collectors.joining(",", "[", "]"));
        return Stream.of(
                badSet("missing version", "{\"rules\": []}", "version", "missing; allowed: 1..64 visible ASCII characters"),
                badSet("empty version", "{\"version\": \"\", \"rules\": []}", "version", "\"\" is not a valid version"),
                badSet("version too long", "{\"version\": \"" + A65 + "\", \"rules\": []}", "version", "not a valid version"),
                badSet("version with space", "{\"version\": \"default 1\", \"rules\": []}", "version", "no spaces"),
                badSet("non-ASCII version", "{\"version\": \"défaut\", \"rules\": []}", "version", "visible ASCII"),
                badSet("numeric version", "{\"version\": 1, \"rules\": []}", "version", "the integer 1"),
                badSet("missing rules", "{\"version\": \"t\"}", "rules", "missing; allowed: an array of at most 200 rules"),
                badSet("rules not an array", "{\"version\": \"t\", \"rules\": {}}", "rules", "an object; allowed: an array"),
                badSet("more than 200 rules", "{\"version\": \"t\", \"rules\": " + rules201 + "}", "rules", "201 entries; allowed: an array of at most 200"),
                badSet("review threshold 0", "{\"version\": \"t\", \"score_thresholds\": {\"review\": 0}, \"rules\": []}",
                        "score_thresholds.review", "0 is out of range; allowed: an integer within 1..100"),
                badSet("block threshold 101", "{\"version\": \"t\", \"score_thresholds\": {\"block\": 101}, \"rules\": []}",
                        "score_thresholds.block", "101 is out of range"),
                badSet("review above block", "{\"version\": \"t\", \"score_thresholds\": {\"review\": 80, \"block\": 70}, \"rules\": []}",
                        "score_thresholds", "review 80 is above block 70; allowed: review <= block"),
                badSet("fractional threshold", "{\"version\": \"t\", \"score_thresholds\": {\"review\": 65.5}, \"rules\": []}",
                        "score_thresholds.review", "not an integer"),
                badSet("thresholds not an object", "{\"version\": \"t\", \"score_thresholds\": 65, \"rules\": []}",
                        "score_thresholds", "the integer 65; allowed: a JSON object"),
                badSet("unknown threshold", "{\"version\": \"t\", \"score_thresholds\": {\"allow\": 10}, \"rules\": []}",
                        "score_thresholds.allow", "unknown field; allowed: review, block"),
                badSet("allow list not an array", "{\"version\": \"t\", \"allow_list\": \"acct_a\", \"rules\": []}",
                        "allow_list", "the string \"acct_a\"; allowed: an array of at most 10000 account ids"),
                badSet("blank account", "{\"version\": \"t\", \"allow_list\": [\"acct_a\", \"  \"], \"rules\": []}",
                        "allow_list[1]", "not a valid account id; allowed: 1..64 characters, not all blank"),
                badSet("account too long", "{\"version\": \"t\", \"block_list\": [\"" + A65 + "\"], \"rules\": []}",
                        "block_list[0]", "not a valid account id"),
                badSet("account not a string", "{\"version\": \"t\", \"block_list\": [7], \"rules\": []}",
                        "block_list[0]", "the integer 7; allowed: an account id string"),
                badSet("account listed twice", "{\"version\": \"t\", \"block_list\": [\"acct_a\", \"acct_a\"], \"rules\": []}",
                        "block_list[1]", "\"acct_a\" is listed twice"),
                badSet("more than 10000 accounts", "{\"version\": \"t\", \"allow_list\": " + list(10_001) + ", \"rules\": []}",
                        "allow_list", "10001 entries"),
                badSet("account on both lists", "{\"version\": \"t\", \"allow_list\": [\"acct_a\"], \"block_list\": [\"acct_a\"], \"rules\": []}",
                        "block_list", "account \"acct_a\" is also on the allow list"),
                badSet("unknown top-level field", "{\"version\": \"t\", \"rule\": [], \"rules\": []}",
                        "rule", "unknown field; allowed: version, score_thresholds, allow_list, block_list, rules"),
                badSet("null version", "{\"version\": null, \"rules\": []}", "version", "null"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSets")
    void invalidRuleSetIsRejectedNamingTheField(String description, String json, String subjectAndField, String expected) {
        assertThatThrownBy(() -> RuleSet.parse(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidRuleSetException.class)
                .hasMessageContaining(subjectAndField)
                .hasMessageContaining(expected);
    }

    static Stream<Arguments> malformedFiles() {
        return Stream.of(
                Arguments.of("broken syntax", "{\"version\": \"t\", \"rules\": [}", "not valid JSON at line 1, column 28"),
                Arguments.of("duplicate top-level key", "{\"version\": \"a\", \"version\": \"b\", \"rules\": []}", "Duplicate field 'version'"),
                Arguments.of("duplicate key in a rule", "{\"version\": \"t\", \"rules\": [{\"id\": \"a\", \"id\": \"b\"}]}", "Duplicate field 'id'"),
                Arguments.of("trailing object", "{\"version\": \"t\", \"rules\": []} {}", "content after the closing brace at line 1"),
                Arguments.of("trailing garbage", "{\"version\": \"t\", \"rules\": []} x", "not valid JSON"),
                Arguments.of("empty file", "", "empty; allowed: a JSON object"),
                Arguments.of("array instead of object", "[]", "an array; allowed: a JSON object"),
                Arguments.of("null instead of object", "null", "null; allowed: a JSON object"),
                Arguments.of("comment", "// rules\n{\"version\": \"t\", \"rules\": []}", "not valid JSON"),
                Arguments.of("NaN", "{\"version\": \"t\", \"rules\": [], \"x\": NaN}", "not valid JSON"),
                Arguments.of("too deeply nested", "{\"version\": \"t\", \"rules\": []" + ", \"x\": " + "[".repeat(40) + "]".repeat(40) + "}",
                        "at most 16 levels of nesting"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedFiles")
    void malformedFileIsRejectedWithoutParserInternals(String description, String json, String expected) {
        assertThatThrownBy(() -> RuleSet.parse(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidRuleSetException.class)
                .hasMessageStartingWith("rule file: ")
                .hasMessageContaining(expected)
                .hasMessageNotContaining("com.fasterxml")
                .hasMessageNotContaining("[Source:");
    }

    @Test
    void malformedFileKeepsTheParserErrorAsCause() {
        assertThatThrownBy(() -> RuleSet.parse("{".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidRuleSetException.class)
                .hasCauseInstanceOf(JsonProcessingException.class);
    }

    @Test
    void fileOverTheSizeBoundIsRefusedBeforeParsing() {
        byte[] huge = new byte[RuleSet.FILE_BYTES_MAX + 1];

        assertThatThrownBy(() -> RuleSet.parse(huge)).isInstanceOf(InvalidRuleSetException.class)
                .hasMessageContaining("larger than " + RuleSet.FILE_BYTES_MAX + " bytes");
    }

    @Test
    void everyFeatureAcceptsItsBoundAndRejectsOneMore() {
        for (Feature feature : Feature.values()) {
            if (feature.kind() == Feature.Kind.BOOLEAN) {
                continue;
            }
            String at = fileWithSecondRule("feature", "\"" + feature.ruleName() + "\"", "value", String.valueOf(feature.thresholdMax()));
            String above = fileWithSecondRule("feature", "\"" + feature.ruleName() + "\"", "value", String.valueOf(feature.thresholdMax() + 1));

            assertThat(RuleSet.parse(at.getBytes(StandardCharsets.UTF_8)).rules().get(1).threshold()).isEqualTo(feature.thresholdMax());
            assertThatThrownBy(() -> RuleSet.parse(above.getBytes(StandardCharsets.UTF_8)))
                    .as(feature.ruleName()).hasMessageContaining("rule \"bad\" (rules[1]): field \"value\"");
        }
    }

    @Test
    void optionalFieldsTakeTheirDocumentedDefaults() {
        RuleSet parsed = RuleSet.parse(fileWithSecondRule("weight", null).getBytes(StandardCharsets.UTF_8));

        assertThat(parsed.reviewThreshold()).isEqualTo(65);
        assertThat(parsed.blockThreshold()).isEqualTo(75);
        assertThat(parsed.allowList()).isEmpty();
        assertThat(parsed.blockList()).isEmpty();
        assertThat(parsed.rules().get(1).weight()).isZero();
        assertThat(parsed.rules().get(1).currency()).isNull();
    }

    @Test
    void emptyRuleListIsValid() {
        assertThat(RuleSet.parse("{\"version\": \"t\", \"rules\": []}".getBytes(StandardCharsets.UTF_8)).rules()).isEmpty();
    }

    @Test
    void ruleBuiltInCodeIsHeldToTheFileBounds() {
        assertThatThrownBy(() -> new Rule("x", Feature.AMOUNT, Comparison.GREATER, -1, null, Action.BLOCK, 10, "r"))
                .isInstanceOf(InvalidRuleSetException.class).hasMessageContaining("rule \"x\": field \"value\"");
    }
}
