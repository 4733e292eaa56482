package dev.kassa.topology.authorize;

import dev.kassa.model.BinaryReader;
import dev.kassa.model.BinaryWriter;
import dev.kassa.model.CompactSerde;
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

    /**
     * The serde of the store's values: the compact binary form, since the source's entry is read and
     * written with every payment (docs/architecture.md, Internal record formats); JSON entries of
     * earlier releases are still read.
     */
    public static final CompactSerde<AccountBalance> VALUE_SERDE = new CompactSerde<>(AccountBalance.class, (byte) 1) {
        @Override
        protected void write(BinaryWriter out, AccountBalance balance) {
            out.putString(balance.accountId()).putString(balance.merchantId()).putString(balance.currency())
                    .putBoolean(balance.allowNegative()).putLong(balance.balance());
        }

        @Override
        protected AccountBalance read(BinaryReader in) {
            return new AccountBalance(in.getString(), in.getString(), in.getString(), in.getBoolean(), in.getLong());
        }
    };

    private Balances() {
    }

    /** The store as the topology registers it: {@link DurableStores#durable durable}. */
    public static StoreBuilder<KeyValueStore<String, AccountBalance>> storeBuilder() {
        return DurableStores.durable(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE_NAME), Serdes.String(), VALUE_SERDE));
    }
}
