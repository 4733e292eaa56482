package dev.kassa.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kassa.app.Main;
import dev.kassa.processor.sim.Faults;
import dev.kassa.processor.sim.Rate;
import dev.kassa.processor.sim.SandboxSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The flags of {@code kassa processor-sim} and their defaults (README, Configuration; docs/processor-sim.md). */
class ProcessorSimCommandTest {

    @Test
    void withOnlyTheKeysTheDocumentedDefaultsApply() {
        ProcessorSimCommand command = parse("--api-key", "sk_test_1", "--admin-token", "admin_1", "--seed", "5");

        SandboxSettings settings = command.toSettings();

        assertThat(settings).isEqualTo(new SandboxSettings("127.0.0.1", 8090, "sk_test_1", "admin_1",
                Path.of("./.kassa/processor"), Faults.NONE, 5));
    }

    @Test
    void faultFlagsSetTheStartingFaults() {
        ProcessorSimCommand command = parse("--api-key", "k", "--admin-token", "t", "--latency-ms", "25",
                "--error-rate", "0.1", "--drop-after-commit-rate", "0.05", "--timeout-rate", "0.01", "--timeout-ms", "2000",
                "--settlement-missing", "1", "--settlement-duplicate", "2", "--port", "0", "--data-dir", "/tmp/sim");

        SandboxSettings settings = command.toSettings();

        assertThat(settings.faults()).isEqualTo(new Faults(25, new Rate(1_000), new Rate(500), new Rate(100), 2_000, 1, 2));
        assertThat(settings.port()).isZero();
        assertThat(settings.dataDirectory()).isEqualTo(Path.of("/tmp/sim"));
    }

    @Test
    void rateOutsideZeroToOneIsRefusedNamingItsFlag() {
        ProcessorSimCommand command = parse("--api-key", "k", "--admin-token", "t", "--error-rate", "1.5");

        assertThatThrownBy(command::toSettings).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--error-rate");
    }

    @Test
    void sandboxWithoutAnApiKeyDoesNotStartAndExitsTwo() {
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine();
        commandLine.setErr(new PrintWriter(err));

        // A blank --api-key (it overrides KASSA_PROCESSOR_API_KEY): the command refuses to start.
        int exitCode = commandLine.execute("processor-sim", "--admin-token", "t", "--api-key", "");

        assertThat(exitCode).isEqualTo(2);
    }

    private static ProcessorSimCommand parse(String... arguments) {
        ProcessorSimCommand command = new ProcessorSimCommand();
        new CommandLine(command).parseArgs(arguments);
        return command;
    }
}
