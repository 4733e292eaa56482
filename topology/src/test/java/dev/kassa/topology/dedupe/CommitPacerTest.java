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
 * a commit; within a stream of commands denser than eight in 50 ms, none does, and the interval
 * commits them together.
 */
class CommitPacerTest {

    private static final long T0 = Instant.parse("2026-12-07T09:00:00Z").toEpochMilli();

    @Test
    void sparseCommandsEachCommitAtOnce() {
        // Plan: 20 commands 100 ms apart (10 per second on one task): each is alone in its 50 ms.
        CommitPacer pacer = new CommitPacer();
        for (int i = 0; i < 20; i++) {
            assertThat(pacer.commitNow(T0 + i * 100L)).as("command %d, 100 ms after the one before", i).isTrue();
        }
    }

    @Test
    void aBurstCommitsAtItsStartAndThenLeavesTheRestToTheInterval() {
        // Plan: 30 commands 2 ms apart (500 per second). The first eight have fewer than eight before
        // them in 50 ms and commit at once; from the ninth on, the eighth before is 16 ms earlier.
        CommitPacer pacer = new CommitPacer();
        List<Boolean> asked = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            asked.add(pacer.commitNow(T0 + i * 2L));
        }
        assertThat(asked.subList(0, CommitPacer.QUIET_COMMANDS)).containsOnly(true);
        assertThat(asked.subList(CommitPacer.QUIET_COMMANDS, asked.size())).containsOnly(false);
    }

    @Test
    void theRateThatCountsIsEightCommandsWithinFiftyMilliseconds() {
        // Plan: eight commands at T0, then commands exactly on and just past the window's edge.
        CommitPacer pacer = new CommitPacer();
        for (int i = 0; i < CommitPacer.QUIET_COMMANDS; i++) {
            pacer.commitNow(T0);
        }
        assertThat(pacer.commitNow(T0 + CommitPacer.QUIET_WINDOW_MS))
                .as("the eighth command before is exactly 50 ms earlier: still inside the window").isFalse();
        assertThat(pacer.commitNow(T0 + CommitPacer.QUIET_WINDOW_MS + 1))
                .as("now the eighth before is 51 ms earlier").isTrue();
    }

    @Test
    void aQuietSpellAfterABurstCommitsTheNextCommandAtOnce() {
        CommitPacer pacer = new CommitPacer();
        for (int i = 0; i < 30; i++) {
            pacer.commitNow(T0 + i);
        }
        assertThat(pacer.commitNow(T0 + 29 + 10)).as("10 ms later, still dense").isFalse();
        assertThat(pacer.commitNow(T0 + 29 + 200)).as("200 ms after the burst").isTrue();
    }

    @Test
    void aCommandEarlierThanTheOnesBeforeItNeverAsksForACommitOnItsOwn() {
        // A retry stamped before commands already seen (another API instance's clock) is not a quiet spell.
        CommitPacer pacer = new CommitPacer();
        for (int i = 0; i < 10; i++) {
            pacer.commitNow(T0 + i);
        }
        assertThat(pacer.commitNow(T0 - 1_000)).isFalse();
    }

    @Test
    void theDedupeStageAsksItsTaskToCommitForAQuietCommandOnly() {
        // Plan: the processor alone, as DedupePurgeTest drives it: a lone command asks for a commit
        // (MockProcessorContext records the request), the eight after it 1 ms apart ask for it at first
        // and then, once eight are within 50 ms, no longer.
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
        for (int i = 0; i < 12; i++) {
            OpenAccount command = new OpenAccount("acct_" + i, "mer_alpha", "key-" + i, "usd",
                    Instant.ofEpochMilli(T0 + i), null);
            context.resetCommit();
            processor.process(new Record<>(command.key(), command, T0 + i));
            committed.add(context.committed());
        }
        assertThat(committed).containsExactly(true, true, true, true, true, true, true, true,
                false, false, false, false);
        assertThat(context.forwarded()).as("pacing changes nothing of what is forwarded").hasSize(12);
    }
}
