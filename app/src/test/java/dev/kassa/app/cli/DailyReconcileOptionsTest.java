package dev.kassa.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code kassa connector}'s daily reconciliation flags and their documented defaults (README, Configuration). */
class DailyReconcileOptionsTest {

    @Test
    void theDailyRunIsOffUnlessAskedAndRunsAnHourAfterMidnight() {
        DailyReconcileOptions options = parse("--processor-api-key", "k").reconcile;

        assertThat(options.daily).isFalse();
        assertThat(options.checkedDelay()).isEqualTo(Duration.ofHours(1));
        assertThat(options.postgres.jdbcUrl).isEqualTo("jdbc:postgresql://localhost:5432/kassa");
    }

    @Test
    void flagsTurnItOnAndMoveItWithinTheDay() {
        DailyReconcileOptions options = parse("--processor-api-key", "k", "--reconcile-daily", "--reconcile-delay", "30m",
                "--jdbc-url", "jdbc:postgresql://db:5432/kassa").reconcile;

        assertThat(options.daily).isTrue();
        assertThat(options.checkedDelay()).isEqualTo(Duration.ofMinutes(30));
        assertThat(options.postgres.jdbcUrl).isEqualTo("jdbc:postgresql://db:5432/kassa");
        assertThatThrownBy(() -> parse("--reconcile-delay", "24h").reconcile.checkedDelay())
                .hasMessageContaining("reconcile delay must be between 0 and PT23H");
    }

    @Test
    void anOutOfBoundsDelayStopsTheConnectorWithExitTwoBeforeItConnects() {
        assertThat(new CommandLine(new ConnectorCommand()).execute("--processor-api-key", "k", "--reconcile-delay", "25h"))
                .isEqualTo(2);
    }

    private static ConnectorCommand parse(String... arguments) {
        ConnectorCommand command = new ConnectorCommand();
        new CommandLine(command).parseArgs(arguments);
        return command;
    }
}
