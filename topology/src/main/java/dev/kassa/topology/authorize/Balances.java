package dev.kassa.topology.authorize;

import dev.kassa.model.JsonSerde;
import dev.kassa.topology.state.DurableStores;
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

    /** The store as the topology registers it: {@link DurableStores#durable durable}. */
    public static StoreBuilder<KeyValueStore<String, AccountBalance>> storeBuilder() {
        return DurableStores.durable(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE_NAME), Serdes.String(), VALUE_SERDE));
    }
}
