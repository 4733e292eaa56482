package dev.kassa.app.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kassa.runtime.EmbeddedRuntime;
import dev.kassa.testing.DedicatedRuntime;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Postgres stopped and started again under the running sink while payments flow: the sink must
 * neither lose nor double a row across the outages, and resume on its own.
 */
@Tag("integration")
@ExtendWith(DedicatedRuntime.class)
class PostgresRestartIT {

    private static final int RESTARTS = 3;
    /**
     * Events the topology must commit while Postgres is away, unless the whole load is sent first.
     */
    private static final long EVENTS_DURING_OUTAGE = 200;
    /**
     * Failures of the sink while Postgres is away before it comes back. One: while Postgres is down a
     * retry fails only after the pool's connection timeout (10 s) and a backoff, which would make every
     * outage long for nothing.
     */
    private static final long SINK_FAILURES_DURING_OUTAGE = 1;

    @TempDir
    Path directory;

    private final EmbeddedRuntime runtime;

    PostgresRestartIT(EmbeddedRuntime runtime) {
        this.runtime = runtime;
    }

    @Test
    void postgresRestartedUnderTheSinkLosesAndDoublesNothing() throws Exception {
        // Plan: the topology and the sink run as processes. Accounts are opened and funded, then the
        // seeded load is sent. Three times, once the sink has applied a seeded number of events, the
        // test stops Postgres (fast shutdown: the sink's open transaction is rolled back), keeps it
        // down until the sink has failed on it (a batch or a seek rolled back) and the topology has
        // committed more events for the sink to catch up on (or the load is all sent), and starts it
        // again on the same port and data directory. The sink process is never restarted: it must
        // resume from its stored offsets by itself. After the drain the checks are the sink-crash
        // ones: every payment one row with the oracle's outcome and entries, the oracle's balances,
        // and kassa ledger verify passing.
        try (CrashHarness run = new CrashHarness("PostgresRestartIT", runtime, directory)) {
            run.startAndFund();
            long from = run.appliedEvents();
            run.startLoad();
            for (long moment : run.moments(RESTARTS, from, run.loadEvents())) {
                run.awaitProgress("events applied by the sink", run::appliedEvents, moment);
                long failuresBefore = run.services().sinkFailures();
                long eventsBefore = run.committedPaymentEvents();
                runtime.postgres().stop();
                run.log("Postgres stopped");
                await(run.replay() + " the sink failing on the stopped Postgres while the topology goes on")
                        .atMost(CrashHarness.PHASE_TIMEOUT)
                        .until(() -> run.services().sinkFailures() >= failuresBefore + SINK_FAILURES_DURING_OUTAGE
                                && (run.committedPaymentEvents() >= eventsBefore + EVENTS_DURING_OUTAGE || run.loadSent()));
                runtime.postgres().start();
                run.log("Postgres started again; the sink failed " + (run.services().sinkFailures() - failuresBefore)
                        + " batch(es) or seek(s) meanwhile");
            }
            run.awaitDrained();

            run.checks().ledgerMatchesOracle();
            run.checks().everyPaymentEventExactlyOnce();
            run.checks().nothingDeadLettered();
            run.checks().ledgerVerifies();
            assertThat(run.services().sinkStarts()).as("%s sink starts: it recovers by itself", run.replay())
                    .isEqualTo(1);
        } finally {
            runtime.postgres().start();
        }
    }
}
