package dev.kassa.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Kassa's completed/s over the baseline's, for each scenario run against both in one invocation. */
public final class Summary {

    /** {@code run} completed/s divided by {@code baseline} completed/s; -1 when either is unknown. */
    public record Ratio(String run, String baseline, double value) {
    }

    private Summary() {
    }

    public static List<Ratio> ratios(List<RunResult> runs) {
        List<Ratio> ratios = new ArrayList<>();
        for (RunResult run : runs) {
            if (!run.system().equals("kassa")) {
                continue;
            }
            Optional<RunResult> baseline = runs.stream()
                    .filter(other -> other.system().equals("baseline") && other.scenario().equals(run.scenario()))
                    .findFirst();
            baseline.ifPresent(base -> ratios.add(new Ratio(run.label(), base.label(),
                    run.completedPerSecond() > 0 && base.completedPerSecond() > 0
                            ? run.completedPerSecond() / base.completedPerSecond() : -1)));
        }
        return ratios;
    }
}
