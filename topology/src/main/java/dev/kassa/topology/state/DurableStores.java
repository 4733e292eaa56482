package dev.kassa.topology.state;

import java.util.Map;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * How every local store of the topology is kept: changelogged, so a task's state survives the loss
 * of its instance, and cached. Under exactly-once the cache is flushed to the store and its
 * changelog when the task commits, inside the transaction that carries the records the writes
 * justify, so caching changes no guarantee: a key is in the changelog in the same transaction as the
 * command it let through, a balance in the same transaction as its events. What it changes is cost:
 * a hot account or a busy source written many times between two commits costs one changelog record,
 * not one per write. Reads, interactive queries included, go through the cache and never see a stale
 * value.
 */
public final class DurableStores {

    private DurableStores() {
    }

    /** {@code builder}, changelogged with the topic defaults and cached. */
    public static <S extends StateStore> StoreBuilder<S> durable(StoreBuilder<S> builder) {
        return builder.withCachingEnabled().withLoggingEnabled(Map.of());
    }
}
