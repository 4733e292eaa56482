package dev.kassa.topology.treasury;

import dev.kassa.model.JsonSerde;
import dev.kassa.topology.state.DurableStores;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The {@code treasury-deposit-days} store: each merchant's deposits per currency per UTC day
 * ({@link DailyDeposits}). Attached to the authorize processors beside {@code balances}, so the
 * entries of a currency live in the task of its external account, the one task that decides its
 * deposits; changelogged like every store, so a restarted task restores them.
 */
public final class TreasuryStores {

    /** The store's name; stable across releases because it names the changelog topic. */
    public static final String DEPOSIT_DAYS = "treasury-deposit-days";

    /** How often, in stream time, the treasury purges days past their retention. */
    public static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);

    /** The serde of the store's values. */
    public static final JsonSerde<DailyDeposits> VALUE_SERDE = JsonSerde.of(DailyDeposits.class);

    private TreasuryStores() {
    }

    /** The store as the topology registers it: persistent and {@link DurableStores#durable durable}. */
    public static StoreBuilder<KeyValueStore<String, DailyDeposits>> depositDays() {
        return DurableStores.durable(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DEPOSIT_DAYS), Serdes.String(), VALUE_SERDE));
    }
}
