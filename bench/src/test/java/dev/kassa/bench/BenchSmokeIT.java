package dev.kassa.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.bench.drain.DrainResult;
import dev.kassa.bench.report.ReportFiles;
import dev.kassa.bench.report.RunResult;
import dev.kassa.ledger.verify.InvariantResult;
import dev.kassa.topology.StreamsSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A few seconds of each scenario at a low rate on one embedded runtime, so the harness cannot rot.
 * Plan: start the runtime, Kassa and the bench rule set once; run each scenario (and the baseline's
 * steady and flash-sale) for a few seconds; then check what the harness itself reports against
 * Postgres — every answered payment persisted once, nothing pending, the ledger verifier clean, one
 * payment per idempotency key in the retry storm — and that the report files are written. No speed
 * is asserted: this machine's numbers mean nothing.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BenchSmokeIT {

    private static final Duration RUN = Duration.ofSeconds(4);
    private static final double RATE_PER_SECOND = 20;

    private Path temporary;

    private BenchEnvironment environment;
    private ScenarioRunner runner;
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final List<RunResult> results = new ArrayList<>();

    @BeforeAll
    void startOnce() throws Exception {
        temporary = Files.createTempDirectory("kassa-bench-it-");
        environment = BenchEnvironment.embedded(temporary.resolve("runtime"), 3, StreamsSettings.STREAM_THREADS_DEFAULT,
                Duration.ZERO);
        runner = new ScenarioRunner(environment, new PrintStream(console, true, StandardCharsets.UTF_8));
    }

    @AfterAll
    void stop() {
        if (environment != null) {
            environment.close();
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(temporary)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (java.io.IOException e) {
            // A leftover temporary directory is no test failure.
        }
    }

    @Test
    void steadyPersistsEveryAcceptedPaymentOnceAndVerifies() throws Exception {
        RunSpec warmedUp = new RunSpec(Scenario.STEADY, false, RATE_PER_SECOND, 32, RUN, 20, 5, Duration.ofMillis(100),
                Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(1));
        RunResult run = run(warmedUp);
        // The warmup's payments are on a merchant of their own: the measured run's counts hold without them.
        assertLedgerMatchesAnswers(run);
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("warmup: ").contains("[steady]")
                .contains("backlog");
        assertThat(run.timeline()).isNotEmpty();
        assertThat(run.endToEnd().latency().count()).isPositive();
        // The topology's own account of the load, from Kafka's metrics in this JVM.
        assertThat(run.topology()).isNotNull();
        assertThat(run.topology().commitsPerSecond()).isPositive();
        assertThat(run.topology().recordsPerSecond()).isPositive();
        assertThat(run.topology().flushMsPerCommit()).isNotNegative();
        assertCpuMeasured(run);
    }

    @Test
    void flashSalePersistsEveryAcceptedPaymentOnceAndVerifies() throws Exception {
        assertLedgerMatchesAnswers(run(spec(Scenario.FLASH_SALE, false)));
    }

    @Test
    void latencyRunRecordsFinalOutcomes() throws Exception {
        RunResult run = run(spec(Scenario.LATENCY, false));
        assertLedgerMatchesAnswers(run);
        assertThat(run.finalOutcomeLatency().count()).isPositive();
    }

    @Test
    void cardRunChargesThroughTheSandboxAndPersistsEveryAcceptedPaymentOnce() throws Exception {
        // The card path (docs/benchmarks.md, card): the bench starts the processor sandbox and the
        // connector beside its gateway; every card payment the API named must be in Postgres once,
        // none left processing once drained, the ledger verifying, its CPU measured. No speed is checked.
        RunResult run = run(spec(Scenario.CARD, false));
        assertLedgerMatchesAnswers(run);
        assertThat(run.scenario()).isEqualTo("card");
        assertCpuMeasured(run);
    }

    @Test
    void retryStormProducesExactlyOnePaymentPerKey() throws Exception {
        RunResult run = run(spec(Scenario.RETRY_STORM, false));
        RunResult.Checks checks = run.checks();
        assertThat(checks.holds()).as("%s", checks).isTrue();
        assertThat(checks.keysWithTwoPaymentsInAnswers()).isZero();
        assertThat(checks.persisted().keysWithSeveralPayments()).isZero();
        // Every key sent (operations) produced one payment row, and only one.
        assertThat(checks.persisted().distinctKeys()).isEqualTo(run.operations());
        assertThat(checks.persisted().payments()).isEqualTo(run.operations());
        assertThat(checks.apiPaymentIds()).isEqualTo(checks.persisted().payments());
    }

    @Test
    void baselineSteadyAndFlashSalePersistEveryAcceptedPaymentOnce() throws Exception {
        RunResult steady = run(spec(Scenario.STEADY, true));
        assertLedgerMatchesAnswers(steady);
        assertThat(steady.topology()).as("the baseline runs no topology").isNull();
        assertCpuMeasured(steady);
        assertLedgerMatchesAnswers(run(spec(Scenario.FLASH_SALE, true)));
    }

    @Test
    void sinkDrainReplaysTheEventLogIntoTheSameLedger() throws Exception {
        RunResult backlog = run(spec(Scenario.STEADY, false));
        assertLedgerMatchesAnswers(backlog);

        // Two sinks in one group: the partitions are split between them, and the ledger is still the same.
        // One copy of payments.events appended first: the live sink books it too, and the replay must
        // then hold every payment twice over (two entries for each completed one in each copy).
        DrainResult drain = environment.sinkDrain().orElseThrow().run(Duration.ofSeconds(120), 2, 1);

        assertThat(drain.caughtUp()).as("%s", drain).isTrue();
        assertThat(drain.differences()).as("the replayed ledger against the live one").isEmpty();
        assertThat(drain.verifier()).isNotEmpty().allMatch(InvariantResult::holds);
        assertThat(drain.holds()).isTrue();
        // The replay holds at least this run's payments: two entries for each one completed.
        assertThat(drain.ledgerEntries()).isGreaterThanOrEqualTo(2 * 2 * backlog.checks().persisted().completed());
        assertThat(drain.events()).isGreaterThan(2 * backlog.checks().persisted().payments());
        assertThat(drain.entriesPerSecond()).isPositive();
    }

    @Test
    void reportFilesAreWritten() throws Exception {
        RunResult run = run(new RunSpec(Scenario.STEADY, false, 0, 4, Duration.ofSeconds(2), 10, 5,
                Duration.ofMillis(100), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ZERO));
        Path directory = ReportFiles.write(temporary.resolve("report"), List.of(run), List.of(), environment.rulesText(),
                Map.of("test", "smoke"));
        assertThat(Files.readString(directory.resolve("report.json"))).contains("\"label\" : \"steady\"");
        assertThat(Files.readString(directory.resolve("report.html"))).contains("<svg").doesNotContain("http://cdn");
    }

    private RunResult run(RunSpec spec) throws Exception {
        RunResult result = runner.run(spec);
        results.add(result);
        return result;
    }

    private static RunSpec spec(Scenario scenario, boolean baseline) {
        RunSpec spec = new RunSpec(scenario, false, RATE_PER_SECOND, 32, RUN, 20, 5, Duration.ofMillis(100),
                Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ZERO);
        return baseline ? spec.asBaseline() : spec;
    }

    /** Accepted equals persisted: every payment the API named is in Postgres once, none pending, the ledger verifies. */
    private static void assertLedgerMatchesAnswers(RunResult run) {
        RunResult.Checks checks = run.checks();
        assertThat(checks.holds()).as("%s", checks).isTrue();
        assertThat(run.accepted()).isPositive();
        assertThat(run.fraudBlocked()).as("the bench rule set blocks nothing").isZero();
        assertThat(checks.persisted().payments()).isEqualTo(checks.apiPaymentIds());
        assertThat(checks.persisted().pending()).isZero();
        assertThat(checks.persisted().keysWithSeveralPayments()).isZero();
        assertThat(checks.verifier()).isNotEmpty().allMatch(InvariantResult::holds);
    }

    /** This JVM did the run's work, and where there is a /proc/stat so did the machine, of which it is a part. */
    private static void assertCpuMeasured(RunResult run) {
        assertThat(run.cpu()).as("cpu of %s", run.label()).isNotNull();
        assertThat(run.cpu().jvmCpuMsPerPayment()).isPositive();
        if (Files.isReadable(Path.of("/proc/stat"))) {
            assertThat(run.cpu().machineCpus()).isPositive();
            assertThat(run.cpu().machineBusyShare()).isBetween(0.0, 1.0);
            assertThat(run.cpu().machineCpuMsPerPayment()).isPositive();
        }
    }
}
