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
 * kill -9 of the topology, again and again, while payments flow: exactly-once processing must leave
 * no duplicate or missing event, no balance moved twice, in Kafka and in Postgres alike.
 */
@Tag("integration")
@ExtendWith(DedicatedRuntime.class)
class TopologyCrashIT {

    private static final int KILLS = 4;

    @TempDir
    Path directory;

    private final EmbeddedRuntime runtime;

    TopologyCrashIT(EmbeddedRuntime runtime) {
        this.runtime = runtime;
    }

    @Test
    void topologyKilledRepeatedlyEmitsEveryEventOnceAndMovesEveryBalanceOnce() throws Exception {
        // Plan: the topology and the sink run as processes. Accounts are opened and funded, then the
        // seeded load is sent while the topology is killed with SIGKILL four times, each time once it
        // has committed a seeded number of events, and restarted at once with the same state directory
        // and member id. Its open transactions die with it, so a read_committed reader must see, per
        // payment, exactly one event at sequence 1, the terminal event the oracle expects; each
        // retry answered once on payments.replays; each account opened once; the balances store's
        // changelog (last committed value per account) and Postgres both at the oracle's balances; and
        // kassa ledger verify must pass.
        try (CrashHarness run = new CrashHarness("TopologyCrashIT", runtime, directory)) {
            run.startAndFund();
            long from = run.committedPaymentEvents();
            run.startLoad();
            for (long moment : run.moments(KILLS, from, run.loadEvents())) {
                run.awaitProgress("events committed by the topology", run::committedPaymentEvents, moment);
                run.services().killAndRestartTopology();
            }
            run.awaitDrained();

            run.checks().everyPaymentEventExactlyOnce();
            run.checks().nothingDeadLettered();
            run.checks().accountsOpenedOnce();
            run.checks().retriesReplayedOnce();
            run.checks().balanceStoreMatchesOracle();
            run.checks().ledgerMatchesOracle();
            run.checks().ledgerVerifies();
            assertThat(run.services().topologyStarts()).as("%s topology starts", run.replay()).isEqualTo(KILLS + 1);
        }
    }
}
