package dev.kassa.app.cli;

import dev.kassa.app.RulePublisher;
import dev.kassa.fraud.InvalidRuleSetException;
import dev.kassa.fraud.RuleSet;
import dev.kassa.model.KafkaClientProperties;
import dev.kassa.model.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kassa rules}: the fraud rule set. {@code validate FILE} checks a rule file without Kafka,
 * {@code push FILE} validates it and publishes it to {@code fraud.rules}, where every topology
 * instance picks it up for the payments it processes next, and {@code defaults} prints the rule file
 * Kassa ships, to start a new one from. A file that is not a valid rule set, or cannot be read, exits
 * with {@value #EXIT_INVALID} and the reason on stderr, and nothing is published.
 */
@Command(name = "rules", mixinStandardHelpOptions = true, description = "Fraud rule sets: validate, push, defaults.",
        subcommands = {RulesCommand.Validate.class, RulesCommand.Push.class, RulesCommand.Defaults.class})
public final class RulesCommand implements Runnable {

    /** A rule file that cannot be read or is not a valid rule set, as for a usage error. */
    static final int EXIT_INVALID = 2;
    /** Kafka could not take the rule set. */
    static final int EXIT_NOT_PUBLISHED = 1;

    /** The default rule set as shipped in the fraud-rules jar, layout and all. */

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Prints the rule set's version and rule count; exits {@value #EXIT_INVALID} with the reason if invalid. */
    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Check a rule file without publishing it; exit 2 with the reason if it is invalid.")
    public static final class Validate implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The rule file (JSON; see docs/fraud.md).")
        Path file;

        @Override
        public Integer call() {
            RuleFileRead read = RuleFileRead.of(file);
            if (read.problem() != null) {
                spec.commandLine().getErr().println("kassa rules validate: " + read.problem());
                return EXIT_INVALID;
            }
            spec.commandLine().getOut().println(file + ": valid; rule set " + describe(read.ruleSet()));
            return 0;
        }
    }

    /** Validates the file, then publishes it to {@code fraud.rules}; nothing is published when it is invalid. */
    @Command(name = "push", mixinStandardHelpOptions = true,
            description = "Validate a rule file and publish it to fraud.rules; every topology instance applies it "
                    + "to the payments it processes next.")
    public static final class Push implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        KafkaOptions kafka;

        @Mixin
        TopicOptions topics;

        @Parameters(paramLabel = "FILE", description = "The rule file (JSON; see docs/fraud.md).")
        Path file;

        @Override
        public Integer call() {
            RuleFileRead read = RuleFileRead.of(file);
            if (read.problem() != null) {
                spec.commandLine().getErr().println("kassa rules push: " + read.problem() + "; nothing published");
                return EXIT_INVALID;
            }
            RuleSet published;
            try {
                published = RulePublisher.publish(kafka.bootstrap, kafka.clientProperties(), topics.partitions,
                        topics.replicationFactor, read.bytes());
            } catch (KafkaClientProperties.InvalidException e) {
                spec.commandLine().getErr().println("kassa rules push: " + e.getMessage() + "; nothing published");
                return EXIT_INVALID;
            } catch (IllegalStateException e) {
                spec.commandLine().getErr().println("kassa rules push: " + e.getMessage()
                        + (e.getCause() == null ? "" : ": " + e.getCause().getMessage()));
                return EXIT_NOT_PUBLISHED;
            }
            spec.commandLine().getOut().println("rule set " + describe(published) + " published to "
                    + Topics.FRAUD_RULES.name() + "; every topology instance applies it to the payments it processes next");
            return 0;
        }
    }

    /** Prints the default rule file to stdout. */
    @Command(name = "defaults", mixinStandardHelpOptions = true,
            description = "Print the default rule set Kassa ships (and uses until one is pushed), to start a "
                    + "rule file from.")
    public static final class Defaults implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().print(defaultRuleFile());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** The default rule file as shipped, as text. */
    static String defaultRuleFile() {
        return new String(RuleSet.defaultRuleFile(), StandardCharsets.UTF_8);
    }

    private static String describe(RuleSet rules) {
        return rules.version() + " (" + rules.rules().size() + (rules.rules().size() == 1 ? " rule)" : " rules)");
    }

    /**
     * A rule file read and parsed: its bytes and rule set, or the problem, naming the file. At most
     * {@link RuleSet#FILE_BYTES_MAX} + 1 bytes are read, so a huge file (or a device) is refused
     * without being loaded.
     */
    record RuleFileRead(byte[] bytes, RuleSet ruleSet, String problem) {

        static RuleFileRead of(Path file) {
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(RuleSet.FILE_BYTES_MAX + 1);
            } catch (NoSuchFileException e) {
                return failed("cannot read " + file + ": no such file");
            } catch (IOException e) {
                return failed("cannot read " + file + ": " + e.getMessage());
            }
            if (bytes.length > RuleSet.FILE_BYTES_MAX) {
                return failed(file + " is larger than a rule file may be (" + RuleSet.FILE_BYTES_MAX + " bytes)");
            }
            try {
                return new RuleFileRead(bytes, RuleSet.parse(bytes), null);
            } catch (InvalidRuleSetException e) {
                return failed(file + " is not a valid rule set: " + e.getMessage());
            }
        }

        private static RuleFileRead failed(String problem) {
            return new RuleFileRead(null, null, problem);
        }
    }
}
