package dev.kassa.topology.refund;

import dev.kassa.model.JsonSerde;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The {@code refundable-payments} store: payment id to {@link RefundablePayment}. It is attached to
 * the authorize processors beside {@code balances}, so an entry lives in the task that owns the
 * payment's destination account: the task that completes the payment writes it, and every refund of
 * the payment, keyed by that same account, is decided there, one at a time.
 */
public final class RefundablePayments {

    /** The store's name; stable across releases because it names the changelog topic. */
    public static final String STORE_NAME = "refundable-payments";

    /** The serde of the store's values. */
    public static final JsonSerde<RefundablePayment> VALUE_SERDE = JsonSerde.of(RefundablePayment.class);

    private RefundablePayments() {
    }

    /** The store as the topology registers it: persistent, changelogged, uncached like {@code balances}. */
    public static StoreBuilder<KeyValueStore<String, RefundablePayment>> storeBuilder() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE_NAME), Serdes.String(), VALUE_SERDE)
                .withCachingDisabled()
                .withLoggingEnabled(Map.of());
    }
}
