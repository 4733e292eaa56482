package dev.kassa.topology.fraud;

import dev.kassa.model.JsonSerde;
import java.time.Duration;
import java.util.Map;
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
 * <p>The two local stores are cached: the cache is flushed at commit, so every write still reaches
 * the changelog in the transaction of the decision it justifies, and a busy source written many
 * times between two commits costs one changelog record.
 */
public final class FraudStores {

    public static final String ACTIVITY = "fraud-activity";
    public static final String PAID_DESTINATIONS = "fraud-paid-destinations";
    public static final String RULES = "fraud-rules";

    /** How far back "paid this destination before" looks. */
    public static final Duration PAID_MEMORY = Duration.ofDays(30);

    /** The bucket of the paid-destination memory: one entry per pair and day. */
    static final Duration PAID_WINDOW = Duration.ofDays(1);

    public static final JsonSerde<SourceActivity> ACTIVITY_SERDE = JsonSerde.of(SourceActivity.class);

    private FraudStores() {
    }

    public static StoreBuilder<KeyValueStore<String, SourceActivity>> activity() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ACTIVITY), Serdes.String(), ACTIVITY_SERDE)
                .withCachingEnabled()
                .withLoggingEnabled(Map.of());
    }

    public static StoreBuilder<WindowStore<String, Long>> paidDestinations() {
        return Stores.windowStoreBuilder(
                        Stores.persistentWindowStore(PAID_DESTINATIONS, PAID_MEMORY.plus(PAID_WINDOW), PAID_WINDOW, false),
                        Serdes.String(), Serdes.Long())
                .withCachingEnabled()
                .withLoggingEnabled(Map.of());
    }

    /** In memory: it holds one small value and is restored from the compacted topic at every start. */
    public static StoreBuilder<KeyValueStore<String, byte[]>> rules() {
        return Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(RULES), Serdes.String(), Serdes.ByteArray())
                .withLoggingDisabled();
    }
}
