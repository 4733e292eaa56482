package dev.kassa.bench.report;

import dev.kassa.bench.drain.DrainResult;
import dev.kassa.bench.measure.ThreadComponents;
import dev.kassa.ledger.verify.InvariantResult;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The runs as a fixed-width table, one line each, then each run's checks in a sentence, then the sink drains. */
public final class ConsoleTable {

    /** A component under this many ms per payment is shown as part of other. */
    static final double COMPONENT_MS_MIN = 0.01;
    private static final String ROW = "%-22s %10s %11s %8s %8s %8s %9s %8s %7s  %s%n";

    private ConsoleTable() {
    }

    public static String render(List<RunResult> runs, List<Summary.Ratio> ratios, List<DrainResult> drains) {
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
        for (RunResult run : runs) {
            if (run.cpu() != null) {
                table.append(cpu(run.label(), run.cpu()));
                table.append(cpuByComponent(run.label(), run.cpu().jvmCpuMsPerPaymentByComponent()));
            }
        }
        for (RunResult run : runs) {
            if (run.topology() != null) {
                table.append(topology(run.label(), run.topology()));
            }
        }
        for (DrainResult drain : drains) {
            table.append(drain(drain));
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
        return String.format(Locale.ROOT, "%s: %d operations, answers %s; API named %d payments for %d keys"
                        + " (%d keys unanswered, %d keys answered with two payments); %s; lost %d, extra %d;"
                        + " ledger verify: %s; final-outcome p99 %.1f ms; drained in %.1f s%n",
                run.label(), run.operations(), run.answersByStatus(), checks.apiPaymentIds(),
                checks.keysAnsweredWithPayment(), checks.unansweredKeys(), checks.keysWithTwoPaymentsInAnswers(),
                persisted, checks.lost(), checks.extra(),
                verified(checks.verifier()),
                run.finalOutcomeLatency().p99Ms(), run.drainSeconds());
    }

    private static String cpu(String label, RunResult.CpuUse cpu) {
        String machine = cpu.machineCpuMsPerPayment() < 0 ? "machine not measured (no /proc/stat)"
                : String.format(Locale.ROOT, "%.2f ms per payment on the machine (%d CPUs %.0f %% busy)",
                        cpu.machineCpuMsPerPayment(), cpu.machineCpus(), 100 * cpu.machineBusyShare());
        String jvm = cpu.jvmCpuMsPerPayment() < 0 ? "this JVM not measured"
                : String.format(Locale.ROOT, "%.2f ms in this JVM", cpu.jvmCpuMsPerPayment())
                        + (cpu.jvmCompileMsPerPayment() < 0 ? "" : String.format(Locale.ROOT,
                        " (%.2f ms of it JIT compiling, %.2f ms the rest)", cpu.jvmCompileMsPerPayment(),
                        cpu.jvmCpuMsPerPayment() - cpu.jvmCompileMsPerPayment()));
        return String.format(Locale.ROOT, "%s cpu: %s, %s%n", label, machine, jvm);
    }

    /**
     * One line of this JVM's CPU per payment by component, largest first, those under {@value
     * #COMPONENT_MS_MIN} ms folded into other; nothing when the components were not measured.
     */
    static String cpuByComponent(String label, Map<String, Double> msPerPayment) {
        if (msPerPayment.isEmpty()) {
            return "";
        }
        Map<String, Double> shown = new LinkedHashMap<>();
        msPerPayment.forEach((component, ms) -> shown.merge(
                ms < COMPONENT_MS_MIN ? ThreadComponents.OTHER : component, ms, Double::sum));
        return shown.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
                .map(component -> String.format(Locale.ROOT, "%s %.2f", component.getKey(), component.getValue()))
                .collect(Collectors.joining(", ", label + " cpu by component (ms per payment): ",
                        System.lineSeparator()));
    }

    private static String topology(String label, RunResult.TopologyTime time) {
        return String.format(Locale.ROOT, "%s topology: %.1f commits/s, %s records/s processed; per commit: flush %.1f ms,"
                        + " offsets %.1f ms, commit %.1f ms (%.0f %% of the time); stream thread over the last metrics"
                        + " window: poll %.0f %%, process %.0f %%, commit %.0f %%%n",
                label, time.commitsPerSecond(), number(time.recordsPerSecond()), time.flushMsPerCommit(),
                time.sendOffsetsMsPerCommit(), time.commitTxnMsPerCommit(), 100 * time.transactionShare(),
                100 * time.pollRatio(), 100 * time.processRatio(), 100 * time.commitRatio());
    }

    private static String drain(DrainResult drain) {
        return String.format(Locale.ROOT, "sink drain: %d sink(s) replayed %,d events with %,d ledger entries into a fresh"
                        + " ledger in %.1f s (first batch after %.1f s): %s entries/s, %s events/s; %s; %s; ledger verify:"
                        + " %s%n",
                drain.sinks(), drain.events(), drain.ledgerEntries(), drain.seconds(), drain.firstBatchSeconds(),
                number(drain.entriesPerSecond()), number(drain.eventsPerSecond()),
                drain.caughtUp() ? "caught up with the live sink" : "did NOT catch up with the live sink",
                drain.differences().isEmpty() ? "the same ledger as the live one"
                        : "DIFFERS from the live ledger " + drain.differences(),
                verified(drain.verifier()));
    }

    /** {@code kassa ledger verify}'s outcome in a few words, naming the violated invariants. */
    private static String verified(List<InvariantResult> results) {
        List<InvariantResult> violated = results.stream().filter(result -> !result.holds()).toList();
        return results.isEmpty() ? "not run" : violated.isEmpty() ? results.size() + " invariants hold"
                : violated.size() + " invariant(s) VIOLATED " + violated;
    }

    private static String number(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    private static String ms(double millis) {
        return String.format(Locale.ROOT, "%.1f", millis);
    }
}
