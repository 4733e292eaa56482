package dev.kassa.topology.dedupe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.model.OpenAccount;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * When a task commits at once (docs/architecture.md, Commits): a command after a quiet spell asks for
 * a commit; within a stream of commands denser than 50 in a second, none does, and the interval
 * commits them together.
 */
class CommitPacerTest {

    private static final long T0 = Instant.parse("2026-12-07T09:00:00Z").toEpochMilli();

    @Test
    void sparseCommandsEachCommitAtOnce() {
        // Plan: 200 commands 25 ms apart (40 per second on one task): never 50 within a second.
        CommitPacer pacer = new CommitPacer();
        for (int i = 0; i < 200; i++) {
            assertThat(pacer.commitNow(T0 + i * 25L)).as("command %d, 25 ms after the one before", i).isTrue();
        }
    }

    @Test
    void aBurstCommitsAtItsStartAndThenLeavesTheRestToTheInterval() {
        // Plan: 80 commands 2 ms apart (500 per second). The first 50 have fewer than 50 before them
        // in a second and commit at once; from the 51st on, the 50th before is 100 ms earlier.
        CommitPacer pacer = new CommitPacer();
        List<Boolean> asked = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            asked.add(pacer.commitNow(T0 + i * 2L));
        }
        assertThat(asked.subList(0, CommitPacer.QUIET_COMMANDS)).containsOnly(true);
        assertThat(asked.subList(CommitPacer.QUIET_COMMANDS, asked.size())).containsOnly(false);
    }

    @Test
    void theRateThatCountsIsFiftyCommandsWithinASecond() {
        // Plan: 50 commands at T0, then commands exactly on and just past the window's edge.
        CommitPacer pacer = new CommitPacer();
        for (int i = 0; i < CommitPacer.QUIET_COMMANDS; i++) {
            pacer.commitNow(T0);
        }
        assertThat(pacer.commitNow(T0 + CommitPacer.QUIET_WINDOW_MS))
                .as("the 50th command before is exactly a second earlier: still inside the window").isFalse();
        assertThat(pacer.commitNow(T0 + CommitPacer.QUIET_WINDOW_MS + 1))
                .as("now the 50th before is 1001 ms earlier").isTrue();
    }

    @Test
    void aPauseBetweenTwoBurstsOfALoadedGatewayIsNotQuietButASecondIs() {
        // Plan: a loaded gateway's clients send in bursts, one per commit: 60 commands in 5 ms, a 100 ms
        // pause, 60 more. The pause is not a quiet spell; a whole second without commands is.
        CommitPacer pacer = new CommitPacer();
        for (int i = 0; i < 60; i++) {
            pacer.commitNow(T0 + i / 12);
        }
        assertThat(pacer.commitNow(T0 + 105)).as("the next burst, 100 ms later").isFalse();
        for (int i = 1; i < 60; i++) {
            pacer.commitNow(T0 + 105 + i / 12);
        }
        assertThat(pacer.commitNow(T0 + 105 + 1_006)).as("a second after the last burst").isTrue();
    }

    @Test
    void aCommandEarlierThanTheOnesBeforeItNeverAsksForACommitOnItsOwn() {
        // A retry stamped before commands already seen (another API instance's clock) is not a quiet spell.
        CommitPacer pacer = new CommitPacer();
        for (int i = 0; i < 60; i++) {
            pacer.commitNow(T0 + i);
        }
        assertThat(pacer.commitNow(T0 - 1_000)).isFalse();
    }

    @Test
    void theDedupeStageAsksItsTaskToCommitForAQuietCommandOnly() {
        // Plan: the processor alone, as DedupePurgeTest drives it: commands 1 ms apart ask for a commit
        // (MockProcessorContext records the request) until 50 are within a second, then no longer.
        MockProcessorContext<String, Deduplicated> context = new MockProcessorContext<>();
        KeyValueStore<String, IdempotencyEntry> store = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(IdempotencyKeys.STORE_NAME), Serdes.String(), IdempotencyKeys.VALUE_SERDE)
                .withLoggingDisabled()
                .build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        DedupeProcessor processor = new DedupeProcessor(Duration.ofHours(25));
        processor.init(context);

        List<Boolean> committed = new ArrayList<>();
        for (int i = 0; i < 54; i++) {
            OpenAccount command = new OpenAccount("acct_" + i, "mer_alpha", "key-" + i, "usd",
                    Instant.ofEpochMilli(T0 + i), null);
            context.resetCommit();
            processor.process(new Record<>(command.key(), command, T0 + i));
            committed.add(context.committed());
        }
        assertThat(committed.subList(0, CommitPacer.QUIET_COMMANDS)).containsOnly(true);
        assertThat(committed.subList(CommitPacer.QUIET_COMMANDS, committed.size())).hasSize(4).containsOnly(false);
        assertThat(context.forwarded()).as("pacing changes nothing of what is forwarded").hasSize(54);
    }
}
