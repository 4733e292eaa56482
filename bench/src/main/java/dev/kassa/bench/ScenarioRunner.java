package dev.kassa.bench;

import dev.kassa.bench.load.HttpApi;
import dev.kassa.bench.load.LoadGenerator;
import dev.kassa.bench.load.PaymentOperation;
import dev.kassa.bench.load.PaymentPlan;
import dev.kassa.bench.load.RetryStormPayment;
import dev.kassa.bench.load.RunStats;
import dev.kassa.bench.load.SinglePayment;
import dev.kassa.bench.measure.CpuMeter;
import dev.kassa.bench.measure.EndToEndSampler;
import dev.kassa.bench.measure.LedgerProbe;
import dev.kassa.bench.measure.Progress;
import dev.kassa.bench.measure.TopologyProfile;
import dev.kassa.bench.report.RunResult;
import dev.kassa.bench.setup.Fixture;
import dev.kassa.ledger.verify.InvariantResult;
import dev.kassa.ledger.verify.LedgerVerifier;
import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link RunSpec}: an untimed setup (merchant, funded sources, destinations), the timed
 * load with a progress line a second, a drain until Postgres holds every answered payment, then the
 * counts and the ledger verification. Returns what it measured; never asserts a speed.
 */
public final class ScenarioRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ScenarioRunner.class);
    /** End-to-end samples per second aimed at: enough for a p99, few enough to poll cheaply. */
    private static final double END_TO_END_SAMPLES_PER_SECOND = 200;
    private static final long CLOSED_LOOP_SAMPLE_EVERY = 20;
    private static final Duration DRAIN_POLL = Duration.ofMillis(250);
    private static final Duration END_TO_END_GRACE_MIN = Duration.ofSeconds(5);

    private final BenchEnvironment environment;
    private final PrintStream out;
    private final WarmupPolicy warmups;

    /** A runner whose warmups last exactly their {@link RunSpec#warmup()}. */
    public ScenarioRunner(BenchEnvironment environment, PrintStream out) {
        this(environment, out, WarmupPolicy.FIXED);
    }

    public ScenarioRunner(BenchEnvironment environment, PrintStream out, WarmupPolicy warmups) {
        this.environment = Objects.requireNonNull(environment, "environment");
        this.out = Objects.requireNonNull(out, "out");
        this.warmups = Objects.requireNonNull(warmups, "warmups");
    }

    public RunResult run(RunSpec spec) throws InterruptedException, SQLException {
        out.printf("%n== %s: %s for %ds, %d sources, %s%n", spec.label(), spec.mode(), spec.duration().toSeconds(),
                spec.sources(), spec.scenario().hotDestination() ? "one hot destination (the merchant's account)"
                        : spec.destinations() + " destinations");
        // The run's own fixture is built before the warmup: opening accounts and funding them takes code
        // paths the load does not, and the JIT recompiles what they disturb during the warmup, not
        // during the measured window.
        long setupStart = System.nanoTime();
        Fixture fixture = environment.fixtures(spec.baseline()).build(spec.label(), spec.sources(),
                spec.scenario().hotDestination() ? 1 : spec.destinations());
        out.printf("   setup: merchant %s, %d funded sources, %d destinations in %.1f s (untimed)%n",
                fixture.merchantId(), fixture.sources().size(), fixture.destinations().size(),
                (System.nanoTime() - setupStart) / 1e9);
        if (!spec.warmup().isZero()) {
            warmUp(spec.warmupRun());
        }
        Optional<LedgerProbe> probe = environment.probe(spec.baseline());
        RunStats stats = new RunStats();
        LoadGenerator generator = new LoadGenerator();
        EndToEndSampler sampler = sampler(probe, spec);
        try {
            PaymentOperation operation = operation(spec, fixture, stats, sampler);
            Progress progress = new Progress(spec.label(), stats, generator, probe.orElse(null), fixture.merchantId(), out);
            progress.start();
            long completedAtStart = progress.completedNow();
            Optional<TopologyProfile.Snapshot> topologyAtStart =
                    spec.baseline() ? Optional.empty() : TopologyProfile.take();
            CpuMeter.Snapshot cpuAtStart = CpuMeter.take();
            long loadStart = System.nanoTime();
            drive(generator, spec, operation);
            double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
            RunResult.CpuUse cpu = CpuMeter.between(cpuAtStart, CpuMeter.take(), stats.distinctPaymentIds());
            RunResult.TopologyTime topology = topologyAtStart.flatMap(start -> TopologyProfile.take()
                    .map(end -> TopologyProfile.between(start, end))).orElse(null);
            long completedAtEnd = progress.completedNow();
            progress.close();
            return finish(spec, fixture, stats, generator, progress, sampler, probe,
                    new Window(loadSeconds, completedAtStart, completedAtEnd), topology, cpu);
        } finally {
            if (sampler != null) {
                sampler.close();
            }
        }
    }

    /**
     * Sends {@code warmup}'s load, unmeasured, on a merchant and accounts of its own, for its duration and
     * then on while the JIT compilers are still busy ({@link WarmupPolicy}), then waits until the ledger
     * holds all of it, so that the measured run starts warm and with nothing in the pipes. The warmup
     * runs the measured run's instruments too (the end-to-end sampler and the progress line, printed
     * nowhere), so that their code is compiled before the window as well.
     */
    private void warmUp(RunSpec warmup) throws InterruptedException, SQLException {
        long start = System.nanoTime();
        Fixture fixture = environment.fixtures(warmup.baseline()).build("warmup-" + warmup.label(), warmup.sources(),
                warmup.scenario().hotDestination() ? 1 : warmup.destinations());
        RunStats stats = new RunStats();
        LoadGenerator generator = new LoadGenerator();
        Optional<LedgerProbe> probe = environment.probe(warmup.baseline());
        EndToEndSampler sampler = sampler(probe, warmup);
        Duration warmedUp;
        double jitShare;
        try (Progress progress = new Progress(warmup.label(), stats, generator, probe.orElse(null), fixture.merchantId(),
                new PrintStream(OutputStream.nullOutputStream()))) {
            progress.start();
            PaymentOperation operation = operation(warmup, fixture, stats, sampler);
            // The last window of the warmup's own length is the first the compilers are judged on.
            Duration window = warmup.duration().compareTo(WarmupPolicy.WINDOW) < 0 ? warmup.duration() : WarmupPolicy.WINDOW;
            warmedUp = warmup.duration().minus(window);
            if (!warmedUp.isZero()) {
                drive(generator, warmup.withDuration(warmedUp), operation);
            }
            do {
                CpuMeter.Snapshot before = CpuMeter.take();
                drive(generator, warmup.withDuration(window), operation);
                warmedUp = warmedUp.plus(window);
                jitShare = CpuMeter.jitShare(before, CpuMeter.take());
                window = WarmupPolicy.WINDOW;
            } while (warmups.another(warmedUp, jitShare));
        } finally {
            if (sampler != null) {
                sampler.close();
            }
        }
        String drained = "not checked";
        if (probe.isPresent()) {
            LedgerProbe.PersistedCounts counts = drain(probe.get(), fixture.merchantId(), stats.distinctPaymentIds(),
                    warmup.drainTimeout());
            drained = caughtUp(counts, stats.distinctPaymentIds()) ? "drained" : "NOT drained";
        }
        String compilers = Double.isNaN(jitShare) ? "JIT compilers not measured"
                : String.format("JIT compilers %.1f %% of the machine over its last %ds", 100 * jitShare,
                        WarmupPolicy.WINDOW.toSeconds());
        out.printf("   warmup: %s for %ds (%s), %,d payments answered, %s; %.1f s in all (unmeasured)%n",
                warmup.mode(), warmedUp.toSeconds(), compilers, stats.distinctPaymentIds(), drained,
                (System.nanoTime() - start) / 1e9);
    }

    /** Sends {@code spec}'s load: an open loop at its rate, or a closed loop on its connections. */
    private static void drive(LoadGenerator generator, RunSpec spec, PaymentOperation operation)
            throws InterruptedException {
        if (spec.openLoop()) {
            generator.openLoop(spec.ratePerSecond(), spec.duration(), spec.connections(), operation);
        } else {
            generator.closedLoop(spec.connections(), spec.duration(), operation);
        }
    }

    /** The load window: its length, and the completed count in Postgres at its start and end (-1 if unknown). */
    private record Window(double seconds, long completedAtStart, long completedAtEnd) {
        double completedPerSecond() {
            return completedAtStart < 0 || completedAtEnd < 0 ? -1 : (completedAtEnd - completedAtStart) / seconds;
        }
    }

    private PaymentOperation operation(RunSpec spec, Fixture fixture, RunStats stats, EndToEndSampler sampler) {
        HttpApi api = environment.api(spec.baseline());
        if (spec.scenario().card()) {
            environment.requireCardPath();
        }
        PaymentPlan plan = new PaymentPlan(fixture, spec.scenario().hotDestination(),
                "bench-" + spec.label() + "-" + UUID.randomUUID().toString().substring(0, 8) + "-", spec.scenario().card());
        SinglePayment.EndToEndSink endToEnd = sampler == null ? (sequence, id, start) -> { } : sampler.sink();
        return spec.scenario().retries()
                ? new RetryStormPayment(api, plan, stats, endToEnd, spec.clientTimeout(), spec.requestTimeout())
                : new SinglePayment(api, plan, stats, endToEnd, spec.requestTimeout());
    }

    private RunResult finish(RunSpec spec, Fixture fixture, RunStats stats, LoadGenerator generator, Progress progress,
                             EndToEndSampler sampler, Optional<LedgerProbe> probe, Window window,
                             RunResult.TopologyTime topology, RunResult.CpuUse cpu)
            throws InterruptedException, SQLException {
        long drainStart = System.nanoTime();
        long apiPaymentIds = stats.distinctPaymentIds();
        LedgerProbe.PersistedCounts persisted = probe.isPresent()
                ? drain(probe.get(), fixture.merchantId(), apiPaymentIds, spec.drainTimeout()) : null;
        double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
        RunResult.EndToEnd endToEnd = null;
        if (sampler != null) {
            Duration left = spec.drainTimeout().minusNanos(System.nanoTime() - drainStart);
            RunResult.Latency latency = RunResult.Latency.of(
                    sampler.finish(left.compareTo(END_TO_END_GRACE_MIN) > 0 ? left : END_TO_END_GRACE_MIN));
            endToEnd = new RunResult.EndToEnd(latency, sampleEvery(spec), EndToEndSampler.POLL_INTERVAL.toMillis(),
                    sampler.unresolved(), sampler.dropped());
        }
        List<InvariantResult> verified = probe.isPresent() ? probe.get().verify() : List.of();
        RunResult.Checks checks = checks(stats, generator.scheduled(), persisted, verified);
        return new RunResult(spec.label(), spec.scenario().cliName(), spec.baseline() ? "baseline" : "kassa", spec.mode(),
                window.seconds(), generator.scheduled(), stats.answersByStatus(), stats.errorCodes(),
                stats.accepted.sum(), stats.accepted.sum() / window.seconds(), window.completedPerSecond(),
                persisted == null ? -1 : persisted.completed(), drainSeconds,
                RunResult.Latency.of(progress.apiLatency()), RunResult.Latency.of(progress.finalOutcomeLatency()),
                endToEnd, stats.fraudBlocked.sum(), stats.otherDeclines.sum(), stats.clientTimeouts.sum(),
                stats.transportErrors.sum(), checks, topology, cpu, progress.points());
    }

    /** The end-to-end sampler of a run whose ledger can be read, else null. */
    private static EndToEndSampler sampler(Optional<LedgerProbe> probe, RunSpec spec) {
        return probe.map(ledger -> new EndToEndSampler(ledger, sampleEvery(spec))).orElse(null);
    }

    private static long sampleEvery(RunSpec spec) {
        return spec.openLoop() ? Math.max(1, Math.round(spec.ratePerSecond() / END_TO_END_SAMPLES_PER_SECOND))
                : CLOSED_LOOP_SAMPLE_EVERY;
    }

    /**
     * Waits until Postgres holds at least every payment the API answered with and none is pending, or
     * the timeout passes; returns the counts then.
     */
    private LedgerProbe.PersistedCounts drain(LedgerProbe probe, String merchantId, long apiPaymentIds, Duration timeout)
            throws InterruptedException, SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        LedgerProbe.PersistedCounts counts = probe.counts(merchantId);
        while (!caughtUp(counts, apiPaymentIds) && System.nanoTime() < deadline) {
            Thread.sleep(DRAIN_POLL.toMillis());
            counts = probe.counts(merchantId);
        }
        if (!caughtUp(counts, apiPaymentIds)) {
            LOG.warn("the ledger did not catch up within {}: {} payments answered, {}", timeout, apiPaymentIds, counts);
        }
        return counts;
    }

    /** Whether Postgres holds at least {@code apiPaymentIds} payments of the merchant, none pending. */
    private static boolean caughtUp(LedgerProbe.PersistedCounts counts, long apiPaymentIds) {
        return counts.pending() == 0 && counts.payments() >= apiPaymentIds;
    }

    static RunResult.Checks checks(RunStats stats, long keysSent, LedgerProbe.PersistedCounts persisted,
                                   List<InvariantResult> verified) {
        long apiPaymentIds = stats.distinctPaymentIds();
        long keysAnswered = stats.keysWithPayment();
        long unansweredKeys = Math.max(0, keysSent - keysAnswered);
        long doubledInAnswers = stats.keysWithTwoPayments.sum();
        long lost = persisted == null ? 0 : Math.max(0, apiPaymentIds - persisted.payments());
        long extra = persisted == null ? 0 : Math.max(0, persisted.payments() - apiPaymentIds);
        boolean holds = doubledInAnswers == 0 && lost == 0 && extra <= unansweredKeys
                && (persisted == null || (persisted.pending() == 0 && persisted.keysWithSeveralPayments() == 0))
                && LedgerVerifier.allHold(verified);
        return new RunResult.Checks(apiPaymentIds, keysAnswered, unansweredKeys, doubledInAnswers, persisted, lost, extra,
                verified, holds);
    }
}
