package dev.kassa.topology.dedupe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kassa.model.OpenAccount;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The purge of the {@code idempotency-keys} store, on the processor alone with a small bound so the
 * bound can be seen: each call examines at most that many entries, resumes where the last stopped,
 * and eventually deletes every expired entry and nothing else.
 */
class DedupePurgeTest {

    private static final Duration RETENTION = Duration.ofHours(1);
    private static final int BOUND = 3;
    private static final long T0 = Instant.parse("2026-03-02T09:00:00Z").toEpochMilli();

    private MockProcessorContext<String, Deduplicated> context;
    private KeyValueStore<String, IdempotencyEntry> store;
    private DedupeProcessor processor;

    @BeforeEach
    void init() {
        context = new MockProcessorContext<>();
        context.setCurrentStreamTimeMs(0);
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(IdempotencyKeys.STORE_NAME),
                        Serdes.String(), IdempotencyKeys.VALUE_SERDE)
                .withLoggingDisabled()
                .build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        processor = new DedupeProcessor(RETENTION, BOUND);
        processor.init(context);
    }

    @Test
    void purgeIsScheduledOnStreamTime() {
        assertThat(context.scheduledPunctuators()).singleElement().satisfies(punctuator -> {
            assertThat(punctuator.getType()).isEqualTo(PunctuationType.STREAM_TIME);
            assertThat(punctuator.getInterval()).isEqualTo(DedupeProcessor.PURGE_INTERVAL);
        });
    }

    @Test
    void purgeDeletesAtMostItsBoundPerCallAndEventuallyEverythingExpired() {
        // Plan: remember 10 keys at T0 and 2 keys 50 minutes later, interleaved in key order; at
        // T0 + 1 h only the first 10 are expired. Every purge call may delete at most BOUND; after
        // enough calls exactly the 2 recent keys remain. Then, past their retention too, nothing.
        List<String> oldKeys = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            oldKeys.add(open("key-" + (char) ('a' + i) + "-old", T0));
        }
        long recentAt = T0 + Duration.ofMinutes(50).toMillis();
        List<String> recentKeys = List.of(open("key-c-recent", recentAt), open("key-h-recent", recentAt));
        assertThat(keys()).hasSize(12);

        long now = T0 + RETENTION.toMillis();
        int deleted = 0;
        for (int call = 0; call < 5; call++) {
            int deletedNow = processor.purge(now);
            assertThat(deletedNow).isLessThanOrEqualTo(BOUND);
            deleted += deletedNow;
        }
        assertThat(deleted).isEqualTo(oldKeys.size());
        assertThat(keys()).containsExactlyInAnyOrderElementsOf(recentKeys);

        long later = recentAt + RETENTION.toMillis();
        assertThat(processor.purge(later)).isEqualTo(2);
        assertThat(keys()).isEmpty();
    }

    @Test
    void purgeResumesWhereTheLastCallStoppedInsteadOfRescanningTheStart() {
        // Plan: BOUND recent keys sort before 3 expired ones. A purge that restarted at the beginning
        // every time would examine only the recent keys and never delete anything.
        long recentAt = T0 + Duration.ofMinutes(59).toMillis();
        for (String key : List.of("a", "b", "c")) {
            open(key, recentAt);
        }
        for (String key : List.of("x", "y", "z")) {
            open(key, T0);
        }
        long now = T0 + RETENTION.toMillis();

        assertThat(processor.purge(now)).isZero();
        assertThat(processor.purge(now)).isEqualTo(3);
        assertThat(keys()).containsExactly("mer_alpha:a", "mer_alpha:b", "mer_alpha:c");
    }

    @Test
    void retentionMustBePositive() {
        assertThatThrownBy(() -> new DedupeProcessor(Duration.ZERO)).hasMessageContaining("retention");
        assertThatThrownBy(() -> new DedupeProcessor(RETENTION, 0)).hasMessageContaining("purgeEntriesMax");
    }

    /**
     * Sends an OpenAccount with {@code key} at {@code timestampMs}, as stream time, remembers its key
     * as the initiate stage does once the command is let through, and returns its command key.
     */
    private String open(String key, long timestampMs) {
        OpenAccount command = new OpenAccount("acct_" + key, "mer_alpha", key, "usd", Instant.ofEpochMilli(timestampMs), null);
        context.setCurrentStreamTimeMs(Math.max(context.currentStreamTimeMs(), timestampMs));
        processor.process(new Record<>(command.key(), command, timestampMs));
        assertThat(context.forwarded()).last().satisfies(forwarded ->
                assertThat(forwarded.record().value()).isInstanceOf(Deduplicated.First.class));
        store.put(command.key(), DedupeProcessor.entryOf(command, timestampMs));
        return command.key();
    }

    private List<String> keys() {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, IdempotencyEntry> entries = store.all()) {
            entries.forEachRemaining((KeyValue<String, IdempotencyEntry> entry) -> keys.add(entry.key));
        }
        return keys;
    }
}
