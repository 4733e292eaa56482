package dev.kassa.topology.fraud;

import dev.kassa.topology.state.DurableStores;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The fraud stage's stores. Their names are stable across releases: they name changelog topics and
 * the state endpoint reads them.
 *
 * <ul>
 *   <li>{@value #ACTIVITY}: source account id → {@link SourceActivity}.
 *   <li>{@value #PAID_DESTINATIONS}: {@code source|destination} → 1, in day windows kept
 *       {@link #PAID_MEMORY} plus a day; Kafka Streams drops whole expired segments, so the memory of
 *       who paid whom needs no purge of its own.
 *   <li>{@value #RULES}: the global store of the rule set pushed to {@code fraud.rules}, the raw
 *       file bytes under one key, on every instance.
 * </ul>
 *
 * <p>The two local stores are {@link DurableStores#durable durable}: every write reaches the
 * changelog in the transaction of the decision it justifies.
 */
public final class FraudStores {

    public static final String ACTIVITY = "fraud-activity";
    public static final String PAID_DESTINATIONS = "fraud-paid-destinations";
    public static final String RULES = "fraud-rules";

    /** How far back "paid this destination before" looks. */
    public static final Duration PAID_MEMORY = Duration.ofDays(30);

    /** The bucket of the paid-destination memory: one entry per pair and day. */
    static final Duration PAID_WINDOW = Duration.ofDays(1);

    /** Binary, read and rewritten with every payment; entries stored as JSON before still read. */
    public static final SourceActivitySerde ACTIVITY_SERDE = new SourceActivitySerde();

    private FraudStores() {
    }

    public static StoreBuilder<KeyValueStore<String, SourceActivity>> activity() {
        return DurableStores.durable(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ACTIVITY), Serdes.String(), ACTIVITY_SERDE));
    }

    public static StoreBuilder<WindowStore<String, Long>> paidDestinations() {
        return DurableStores.durable(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(PAID_DESTINATIONS, PAID_MEMORY.plus(PAID_WINDOW), PAID_WINDOW, false),
                Serdes.String(), Serdes.Long()));
    }

    /** In memory: it holds one small value and is restored from the compacted topic at every start. */
    public static StoreBuilder<KeyValueStore<String, byte[]>> rules() {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(RULES), Serdes.String(), Serdes.ByteArray())
                .withLoggingDisabled();
    }
}
