package dev.kassa.bench.measure;

import dev.kassa.bench.load.LoadGenerator;
import dev.kassa.bench.load.LoadThreads;
import dev.kassa.bench.load.RunStats;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Once a second during a run: takes the interval's latency histograms from the recorders (adding
 * them to the run's totals), counts the payments completed in Postgres so far, prints one progress
 * line and keeps the second as a {@link Point} for the report's charts. The only reader of the
 * recorders, so the totals are exact.
 */
public final class Progress implements AutoCloseable {

    /**
     * One second of a run.
     *
     * @param second            seconds since the load started, 1 for the first
     * @param answeredPerSecond answers of any status in the second
     * @param acceptedPerSecond 2xx answers in the second
     * @param completedPerSecond payments whose ledger rows were committed in the second (Postgres), -1 if unknown
     * @param apiLatencyP99Ms   p99 of the second's answers
     * @param backlog           payments accepted but not yet completed in Postgres, plus requests in flight
     */
    public record Point(int second, long answeredPerSecond, long acceptedPerSecond, long completedPerSecond,
                        double apiLatencyP99Ms, long backlog) {
    }

    private final String label;
    private final RunStats stats;
    private final LoadGenerator generator;
    private final LedgerProbe probe;
    private final String merchantId;
    private final PrintStream out;
    private final Histogram apiLatencyTotal = RunStats.newHistogram();
    private final Histogram finalOutcomeTotal = RunStats.newHistogram();
    private final List<Point> points = new ArrayList<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            LoadThreads.named("bench-progress"));
    private long lastAnswered;
    private long lastAccepted;
    private long lastCompleted;
    private long completedAtStart = -1;

    public Progress(String label, RunStats stats, LoadGenerator generator, LedgerProbe probe, String merchantId,
                    PrintStream out) {
        this.label = Objects.requireNonNull(label, "label");
        this.stats = Objects.requireNonNull(stats, "stats");
        this.generator = Objects.requireNonNull(generator, "generator");
        this.probe = probe;
        this.merchantId = merchantId;
        this.out = Objects.requireNonNull(out, "out");
    }

    public void start() {
        completedAtStart = completedNow();
        lastCompleted = completedAtStart;
        ticker.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /** Stops ticking and folds what the recorders hold since the last tick into the totals. */
    @Override
    public synchronized void close() {
        ticker.shutdownNow();
        apiLatencyTotal.add(stats.apiLatency.getIntervalHistogram());
        finalOutcomeTotal.add(stats.finalOutcomeLatency.getIntervalHistogram());
    }

    public synchronized List<Point> points() {
        return List.copyOf(points);
    }

    public synchronized Histogram apiLatency() {
        return apiLatencyTotal.copy();
    }

    public synchronized Histogram finalOutcomeLatency() {
        return finalOutcomeTotal.copy();
    }

    /** Completed payments of the merchant in Postgres, or -1 without a probe or when the query fails. */
    public long completedNow() {
        if (probe == null) {
            return -1;
        }
        try {
            return probe.completedPayments(merchantId);
        } catch (java.sql.SQLException | RuntimeException e) {
            return -1;
        }
    }

    private synchronized void tick() {
        Histogram interval = stats.apiLatency.getIntervalHistogram();
        apiLatencyTotal.add(interval);
        finalOutcomeTotal.add(stats.finalOutcomeLatency.getIntervalHistogram());
        long answered = stats.requestsFinished.sum();
        long accepted = stats.accepted.sum();
        long completed = completedNow();
        long completedDelta = completed < 0 || lastCompleted < 0 ? -1 : completed - lastCompleted;
        long inFlight = stats.requestsStarted.sum() - answered + generator.queued();
        long backlog = (completed < 0 ? 0 : Math.max(0, stats.distinctPaymentIds() - (completed - completedAtStart)))
                + inFlight;
        Point point = new Point(points.size() + 1, answered - lastAnswered, accepted - lastAccepted, completedDelta,
                interval.getTotalCount() == 0 ? 0 : interval.getValueAtPercentile(99) / 1_000.0, backlog);
        points.add(point);
        lastAnswered = answered;
        lastAccepted = accepted;
        lastCompleted = completed;
        out.printf("[%s] %3ds  answered %,7d/s  2xx %,7d/s  completed %s/s  p99 %8.1f ms (so far %8.1f ms)"
                        + "  backlog %,d%n", label, point.second(), point.answeredPerSecond(), point.acceptedPerSecond(),
                completedDelta < 0 ? "      ?" : String.format("%,7d", completedDelta), point.apiLatencyP99Ms(),
                apiLatencyTotal.getTotalCount() == 0 ? 0 : apiLatencyTotal.getValueAtPercentile(99) / 1_000.0, backlog);
        out.flush();
    }
}
