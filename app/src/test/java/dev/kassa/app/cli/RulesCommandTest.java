package dev.kassa.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.app.Main;
import dev.kassa.fraud.RuleSet;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code kassa rules} as a user runs it, through {@link Main}'s command line: exit codes, what goes
 * to stdout and what to stderr. None of these cases may reach Kafka: validation comes first, and the
 * push cases point at a port where nothing listens, so a push that tried to publish would fail
 * with exit code 1 rather than 2. Publishing itself, read back from the topic, is {@code FraudIT}'s.
 */
class RulesCommandTest {

    /** Nothing listens here: a push that got past validation would fail to connect, not exit 2. */
    private static final String NO_KAFKA = "127.0.0.1:1";
    private static final String INVALID_OP = """
            {"version": "broken-1", "rules": [
              {"id": "velocity-1m", "feature": "count_1m", "op": "=>", "value": 10,
               "action": "block", "weight": 100, "reason": "too fast"}]}
            """;

    @TempDir
    Path directory;

    /** What one run of {@code kassa ...} printed and returned. */
    private record Run(int exitCode, String out, String err) {
    }

    @Test
    void validDefaultRuleFileValidatesWithItsVersionAndRuleCount() throws IOException {
        Path file = write("rules.json", RulesCommand.defaultRuleFile());

        Run run = kassa("rules", "validate", file.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("valid").contains("default-1 (6 rules)");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void invalidRuleFileFailsValidationWithExitTwoNamingRuleAndField() throws IOException {
        Path file = write("rules.json", INVALID_OP);

        Run run = kassa("rules", "validate", file.toString());

        assertThat(run.exitCode()).isEqualTo(RulesCommand.EXIT_INVALID);
        assertThat(run.err()).contains(file.toString())
                .contains("rule \"velocity-1m\" (rules[0]): field \"op\": \"=>\" is not a comparison");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void invalidRuleFileIsNeverPushedAndExitsTwo() throws IOException {
        Path file = write("rules.json", INVALID_OP);

        Run run = kassa("rules", "push", "--kafka-bootstrap", NO_KAFKA, file.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(RulesCommand.EXIT_INVALID);
        assertThat(run.err()).contains("field \"op\"").contains("nothing published");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void missingRuleFileExitsTwoSayingItCannotBeRead() {
        String missing = directory.resolve("no-such-rules.json").toString();

        Run validate = kassa("rules", "validate", missing);
        Run push = kassa("rules", "push", "--kafka-bootstrap", NO_KAFKA, missing);

        assertThat(validate.exitCode()).isEqualTo(RulesCommand.EXIT_INVALID);
        assertThat(validate.err()).contains("cannot read " + missing + ": no such file");
        assertThat(push.exitCode()).isEqualTo(RulesCommand.EXIT_INVALID);
        assertThat(push.err()).contains("cannot read " + missing + ": no such file").contains("nothing published");
    }

    @Test
    void directoryInPlaceOfARuleFileExitsTwo() {
        Run run = kassa("rules", "validate", directory.toString());

        assertThat(run.exitCode()).isEqualTo(RulesCommand.EXIT_INVALID);
        assertThat(run.err()).contains("cannot read " + directory);
    }

    @Test
    void ruleFileAboveTheSizeBoundIsRefusedWithoutParsing() throws IOException {
        Path file = directory.resolve("huge.json");
        Files.write(file, new byte[RuleSet.FILE_BYTES_MAX + 1]);

        Run run = kassa("rules", "validate", file.toString());

        assertThat(run.exitCode()).isEqualTo(RulesCommand.EXIT_INVALID);
        assertThat(run.err()).contains("larger than a rule file may be");
    }

    @Test
    void emptyOrNonJsonFileIsInvalid() throws IOException {
        Run empty = kassa("rules", "validate", write("empty.json", "").toString());
        Run text = kassa("rules", "validate", write("text.json", "block everyone").toString());

        assertThat(empty.exitCode()).isEqualTo(RulesCommand.EXIT_INVALID);
        assertThat(text.exitCode()).isEqualTo(RulesCommand.EXIT_INVALID);
        assertThat(text.err()).contains("is not a valid rule set");
    }

    @Test
    void defaultsPrintsTheShippedRuleFileWhichIsTheDefaultRuleSet() {
        Run run = kassa("rules", "defaults");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains("\"version\": \"default-1\"")
                .contains("more than 10 payments from this source in 1 minute");
        assertThat(RuleSet.parse(run.out().getBytes(StandardCharsets.UTF_8))).isEqualTo(RuleSet.defaults());
    }

    @Test
    void ruleFileIsARequiredParameterOfValidateAndPush() {
        Run validate = kassa("rules", "validate");
        Run push = kassa("rules", "push");

        assertThat(validate.exitCode()).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(validate.err()).contains("Missing required parameter: 'FILE'");
        assertThat(push.exitCode()).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(push.err()).contains("Missing required parameter: 'FILE'");
    }

    @Test
    void rulesWithoutASubcommandPrintsItsUsage() {
        Run run = kassa("rules");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("validate").contains("push").contains("defaults");
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(directory.resolve(name), content);
    }

    private static Run kassa(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new Main())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }
}
