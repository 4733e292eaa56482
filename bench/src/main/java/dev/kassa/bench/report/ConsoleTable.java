package dev.kassa.bench.report;

import java.util.List;
import java.util.Locale;

/** The runs as a fixed-width table, one line each, then each run's checks in a sentence. */
public final class ConsoleTable {

    private static final String ROW = "%-22s %10s %11s %8s %8s %8s %9s %8s %7s  %s%n";

    private ConsoleTable() {
    }

    public static String render(List<RunResult> runs, List<Summary.Ratio> ratios) {
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, ROW, "run", "2xx/s", "completed/s", "p50 ms", "p99 ms", "p99.9 ms",
                "e2e p99", "blocked", "checks", "mode"));
        for (RunResult run : runs) {
            table.append(String.format(Locale.ROOT, ROW, run.label(), number(run.acceptedPerSecond()),
                    run.completedPerSecond() < 0 ? "n/a" : number(run.completedPerSecond()),
                    ms(run.apiLatency().p50Ms()), ms(run.apiLatency().p99Ms()), ms(run.apiLatency().p999Ms()),
                    run.endToEnd() == null ? "n/a" : ms(run.endToEnd().latency().p99Ms()), run.fraudBlocked(),
                    run.checks().holds() ? "ok" : "FAIL", run.mode()));
        }
        for (Summary.Ratio ratio : ratios) {
            table.append(String.format(Locale.ROOT, "%s completed/s ÷ %s: %s%n", ratio.run(), ratio.baseline(),
                    ratio.value() < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f×", ratio.value())));
        }
        for (RunResult run : runs) {
            table.append(checks(run));
        }
        return table.toString();
    }

    private static String checks(RunResult run) {
        RunResult.Checks checks = run.checks();
        String persisted = checks.persisted() == null ? "Postgres not read"
                : String.format(Locale.ROOT, "Postgres holds %d payments (%d completed, %d failed, %d pending) with %d"
                        + " ledger entries, %d keys, %d keys with several payments", checks.persisted().payments(),
                checks.persisted().completed(), checks.persisted().failed(), checks.persisted().pending(),
                checks.persisted().ledgerEntries(), checks.persisted().distinctKeys(),
                checks.persisted().keysWithSeveralPayments());
        long violated = checks.verifier().stream().filter(result -> !result.holds()).count();
        return String.format(Locale.ROOT, "%s: %d operations, answers %s; API named %d payments for %d keys"
                        + " (%d keys unanswered, %d keys answered with two payments); %s; lost %d, extra %d;"
                        + " ledger verify: %s; final-outcome p99 %.1f ms; drained in %.1f s%n",
                run.label(), run.operations(), run.answersByStatus(), checks.apiPaymentIds(),
                checks.keysAnsweredWithPayment(), checks.unansweredKeys(), checks.keysWithTwoPaymentsInAnswers(),
                persisted, checks.lost(), checks.extra(),
                checks.verifier().isEmpty() ? "not run" : violated == 0 ? checks.verifier().size() + " invariants hold"
                        : violated + " invariant(s) VIOLATED " + checks.verifier(),
                run.finalOutcomeLatency().p99Ms(), run.drainSeconds());
    }

    private static String number(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    private static String ms(double millis) {
        return String.format(Locale.ROOT, "%.1f", millis);
    }
}
