package dev.kassa.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --datastore-rtt}: read like every bench duration, off by default, bounded, embedded runtime only. */
class DatastoreRttOptionTest {

    @Test
    void isOffByDefaultAndReadsTheShortForms() {
        BenchMain off = parse("steady");
        BenchMain on = parse("flash-sale", "--duration", "60s", "--datastore-rtt", "1ms");

        assertThat(off.datastoreRoundTrip).isZero();
        assertThat(off.describeDatastores()).startsWith("direct");
        assertThat(on.datastoreRoundTrip).isEqualTo(Duration.ofMillis(1));
        assertThat(on.describeDatastores()).startsWith("1 ms round trip (0.5 ms each way)");
    }

    @Test
    void aRoundTripBeyondTheProxysBoundIsRefused() {
        StringWriter errors = new StringWriter();

        int exitCode = execute(errors, "steady", "--datastore-rtt", "11s");

        assertThat(exitCode).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(errors.toString()).contains("--datastore-rtt must be within");
    }

    @Test
    void aTargetsDatastoresCannotBeDelayed() {
        StringWriter errors = new StringWriter();

        int exitCode = execute(errors, "steady", "--target", "http://127.0.0.1:1", "--admin-token", "token",
                "--datastore-rtt", "1ms");

        assertThat(exitCode).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(errors.toString()).contains("--datastore-rtt needs the embedded runtime");
    }

    private static BenchMain parse(String... args) {
        BenchMain main = new BenchMain();
        new CommandLine(main).parseArgs(args);
        return main;
    }

    private static int execute(StringWriter errors, String... args) {
        return new CommandLine(new BenchMain()).setErr(new PrintWriter(errors)).execute(args);
    }
}
