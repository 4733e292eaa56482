package dev.kassa.topology.authorize;

import dev.kassa.model.JsonSerde;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The {@code balances} store: account id to {@link AccountBalance}. One persistent key-value store,
 * changelogged so a restarted or migrated task restores it, and shared by the three authorize
 * processors, which Kafka Streams therefore places in one sub-topology.
 */
public final class Balances {

    /** The store's name; stable across releases because it names the changelog topic and interactive queries use it. */
    public static final String STORE_NAME = "balances";

    /** The serde of the store's values. */
    public static final JsonSerde<AccountBalance> VALUE_SERDE = JsonSerde.of(AccountBalance.class);

    private Balances() {
    }

    /**
     * The store as the topology registers it. Cached: under exactly-once the cache is flushed to the
     * store and its changelog when the task commits, inside the transaction that carries the events
     * the writes justify, so a hot account written a thousand times between two commits costs one
     * changelog record, not a thousand. Reads, interactive queries included, go through the cache and
     * never see a stale value.
     */
    public static StoreBuilder<KeyValueStore<String, AccountBalance>> storeBuilder() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE_NAME), Serdes.String(), VALUE_SERDE)
                .withCachingEnabled()
                .withLoggingEnabled(Map.of());
    }
}
