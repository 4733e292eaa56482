package dev.kassa.app.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.runtime.EmbeddedRuntime;
import dev.kassa.testing.DedicatedRuntime;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the ledger sink, again and again, while payments flow: Postgres must end up with every
 * payment exactly once and the oracle's balances. A runtime of this class' own, because the
 * topology's consumer group and topics are global on a broker.
 */
@Tag("integration")
@ExtendWith(DedicatedRuntime.class)
class SinkCrashIT {

    private static final int KILLS = 4;

    @TempDir
    Path directory;

    private final EmbeddedRuntime runtime;

    SinkCrashIT(EmbeddedRuntime runtime) {
        this.runtime = runtime;
    }

    @Test
    void sinkKilledRepeatedlyBooksEveryPaymentExactlyOnce() throws Exception {
        // Plan: the topology and the sink run as processes. Accounts are opened and funded, then the
        // seeded load (payments each account can surely afford, declines no account can ever afford,
        // retries of earlier commands) is sent while the sink is killed with SIGKILL four times, each
        // time once it has applied a seeded number of events, and restarted at once. A sink that
        // committed rows without their offsets would book events twice after a restart; one that
        // stored offsets past unwritten rows would lose them. After the drain, every payment must be
        // one row with two entries (completed) or none (declined), the balances must be the oracle's,
        // and kassa ledger verify must pass.
        try (CrashHarness run = new CrashHarness("SinkCrashIT", runtime, directory)) {
            run.startAndFund();
            long from = run.appliedEvents();
            run.startLoad();
            for (long moment : run.moments(KILLS, from, run.loadEvents())) {
                run.awaitProgress("events applied by the sink", run::appliedEvents, moment);
                run.services().killAndRestartSink();
            }
            run.awaitDrained();

            run.checks().ledgerMatchesOracle();
            run.checks().everyPaymentEventExactlyOnce();
            run.checks().nothingDeadLettered();
            run.checks().ledgerVerifies();
            assertThat(run.services().sinkStarts()).as("%s sink starts", run.replay()).isEqualTo(KILLS + 1);
        }
    }
}
