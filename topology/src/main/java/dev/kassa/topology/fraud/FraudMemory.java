package dev.kassa.topology.fraud;

import java.util.Objects;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * What the fraud stage and the ledger stages record about each source account, over the two local
 * fraud stores. All of them run keyed by the source account in one sub-topology, so one task reads
 * and writes each source's entries.
 */
public final class FraudMemory {

    private final KeyValueStore<String, SourceActivity> activity;
    private final WindowStore<String, Long> paidDestinations;

    private FraudMemory(KeyValueStore<String, SourceActivity> activity, WindowStore<String, Long> paidDestinations) {
        this.activity = Objects.requireNonNull(activity, "activity");
        this.paidDestinations = Objects.requireNonNull(paidDestinations, "paidDestinations");
    }

    /** The stores of the processor whose {@code context} this is; it must be connected to both. */
    public static FraudMemory of(ProcessingContext context) {
        return new FraudMemory(context.getStateStore(FraudStores.ACTIVITY),
                context.getStateStore(FraudStores.PAID_DESTINATIONS));
    }

    /** What is known of {@code source}: {@link SourceActivity#empty()} if nothing. */
    public SourceActivity activity(String source) {
        SourceActivity known = activity.get(source);
        return known == null ? SourceActivity.empty() : known;
    }

    /** Stores {@code source}'s activity without what no window can reach any more. */
    public void remember(String source, SourceActivity updated) {
        activity.put(source, updated.pruned());
    }

    /** Counts a declined payment of {@code source} at {@code timestampMs}, whatever declined it. */
    public void recordDecline(String source, long timestampMs) {
        remember(source, activity(source).withDecline(timestampMs));
    }

    /**
     * Remembers that {@code source} was debited for a payment to {@code destination} at {@code timestampMs}:
     * once per pair and day. A pair already remembered for that day is not written again, so a source
     * paying the destination it paid earlier that day — the common case — costs a read of the store
     * and no changelog record.
     */
    public void recordDebit(String source, String destination, long timestampMs) {
        long dayStart = timestampMs - Math.floorMod(timestampMs, FraudStores.PAID_WINDOW.toMillis());
        String pair = pair(source, destination);
        if (paidDestinations.fetch(pair, dayStart) == null) {
            paidDestinations.put(pair, 1L, dayStart);
        }
    }

    /** Whether {@code source} was debited for a payment to {@code destination} within the memory before {@code timestampMs}. */
    public boolean paidBefore(String source, String destination, long timestampMs) {
        // The epoch-millisecond fetch: the Instant one formats both bounds into a message on every call
        // (Kafka's ApiUtils), a few per cent of a stream thread's time per payment.
        try (WindowStoreIterator<Long> days = paidDestinations.fetch(pair(source, destination),
                timestampMs - FraudStores.PAID_MEMORY.toMillis(), timestampMs)) {
            return days.hasNext();
        }
    }

    /** The activity store, for the purge. */
    KeyValueStore<String, SourceActivity> activityStore() {
        return activity;
    }

    private static String pair(String source, String destination) {
        return source + "|" + destination;
    }
}
