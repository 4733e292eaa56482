package dev.kassa.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.app.reconcile.Reconciler;
import dev.kassa.model.ReconciliationResult.Item;
import dev.kassa.model.ReconciliationResult.Kind;
import dev.kassa.model.ReconciliationResult.Run;
import dev.kassa.model.ReconciliationResult.State;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code kassa reconcile}'s arguments and exit codes (README, Reconciliation): every bad argument exits 2
 * with a message naming its option, before anything is connected to; the summary it prints.
 */
class ReconcileCommandTest {

    /** 2026-12-07 10:00 UTC: "today" for these tests. */
    private static final Clock TODAY = Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC);

    private final StringWriter err = new StringWriter();

    @Test
    void aMalformedDateExitsTwoNamingTheOption() {
        for (String date : new String[] {"2026-13-01", "07.12.2026", "yesterday", ""}) {
            assertThat(execute("--date", date, "--processor-api-key", "sk_1")).as(date).isEqualTo(2);
            assertThat(err.toString()).as(date).contains("--date must be a day as YYYY-MM-DD").contains(date);
        }
    }

    @Test
    void aDateInTheFutureExitsTwoNamingTheOptionAndTodayIsAllowedPastIt() {
        assertThat(execute("--date", "2026-12-08", "--processor-api-key", "sk_1")).isEqualTo(2);
        assertThat(err.toString()).contains("--date 2026-12-08 is in the future").contains("today is 2026-12-07");
    }

    @Test
    void aMissingDateKeyOrOutOfBoundsWaitExitsTwoNamingIt() {
        assertThat(execute("--processor-api-key", "sk_1")).isEqualTo(2);
        assertThat(err.toString()).contains("--date");

        assertThat(execute("--date", "2026-12-06", "--processor-api-key", " ")).isEqualTo(2);
        assertThat(err.toString()).contains("--processor-api-key");

        assertThat(execute("--date", "2026-12-06", "--processor-api-key", "sk_1", "--completion-wait", "11m"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--completion-wait");
    }

    @Test
    void theHelpDocumentsEveryExitCode() {
        String usage = new CommandLine(new ReconcileCommand()).getUsageMessage();

        assertThat(usage).contains("0   nothing is open for the day").contains("1   discrepancies are open")
                .contains("2   bad arguments").contains("3   the run failed");
    }

    @Test
    void theSummaryCountsTheDayAndListsEachOpenDiscrepancy() {
        Item missing = new Item("pay_1", Kind.MISSING_AT_PROCESSOR, State.OPEN, "pay_1", null, 1_000L, null, "usd",
                "card payment pay_1 is completed in Kassa; the processor's report has no charge for it");

        String summary = ReconcileCommand.summary(new Reconciler.Outcome(LocalDate.of(2026, 12, 6),
                new Run(3, 2, 0, 1), List.of(missing)));

        assertThat(summary).isEqualTo(String.format("reconciliation of 2026-12-06: 3 report lines, 2 matched,"
                + " 0 completed by reconciliation, 1 open%n")
                + "OPEN missing_at_processor        pay_1                            card payment pay_1 is completed in"
                + " Kassa; the processor's report has no charge for it\n"
                + "1 discrepancies open for an operator\n");
        assertThat(ReconcileCommand.summary(new Reconciler.Outcome(LocalDate.of(2026, 12, 6), new Run(2, 2, 0, 0),
                List.of()))).endsWith("nothing open\n");
    }

    private int execute(String... arguments) {
        ReconcileCommand command = new ReconcileCommand();
        command.clock = TODAY;
        return new CommandLine(command).setErr(new PrintWriter(err, true)).execute(arguments);
    }
}
