package dev.kassa.topology.retention;

import dev.kassa.model.Bounds;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Deletes a key-value store's expired entries a bounded slice at a time. Each call examines at most
 * {@code entriesMax} entries, deletes the expired ones among them, and remembers where it stopped,
 * so the next call resumes there and wraps around at the end: the work of one call, and the
 * changelog tombstones it writes, stay bounded however large the store grows, and every entry is
 * examined once per round. The resume point lives in memory only; a restarted task starts over.
 *
 * <p>Stores keep deciding expiry when they are read, so an entry that a purge has not reached yet
 * is never mistaken for a live one; the purge only frees space.
 *
 * @param <V> the store's value type
 */
public final class BoundedPurge<V> {

    /** Decides whether {@code value} has expired at {@code streamTimeMs}. */
    @FunctionalInterface
    public interface Expiry<V> {
        boolean isExpired(V value, long streamTimeMs);
    }

    /** The upper bound on {@code entriesMax}: what one punctuation may examine without stalling its task. */
    public static final int ENTRIES_MAX = 10_000;

    private final int entriesMax;
    private final Expiry<V> expiry;
    private String resumeKey;

    public BoundedPurge(int entriesMax, Expiry<V> expiry) {
        Bounds.requireWithin("purgeEntriesMax", entriesMax, 1, ENTRIES_MAX);
        this.entriesMax = entriesMax;
        this.expiry = Objects.requireNonNull(expiry, "expiry");
    }

    /** Deletes the expired entries among the next {@code entriesMax} of {@code store}; returns how many it deleted. */
    public int purge(KeyValueStore<String, V> store, long streamTimeMs) {
        List<String> expired = new ArrayList<>();
        int examined = 0;
        String nextKey = null;
        try (KeyValueIterator<String, V> entries = store.range(resumeKey, null)) {
            while (entries.hasNext()) {
                KeyValue<String, V> entry = entries.next();
                if (examined == entriesMax) {
                    nextKey = entry.key;
                    break;
                }
                examined++;
                if (expiry.isExpired(entry.value, streamTimeMs)) {
                    expired.add(entry.key);
                }
            }
        }
        // Deleted after the iterator is closed, so no store has to tolerate writes under an open iterator.
        expired.forEach(store::delete);
        resumeKey = nextKey;
        return expired.size();
    }

    /** Where the next call starts, or {@code null} for the beginning; for log lines. */
    public String resumeKey() {
        return resumeKey;
    }
}
