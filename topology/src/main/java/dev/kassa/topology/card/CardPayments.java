package dev.kassa.topology.card;

import dev.kassa.model.JsonSerde;
import dev.kassa.model.Refund;
import dev.kassa.topology.state.DurableStores;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The {@code card-payments} store: payment id to {@link CardPayment}, in the task of the payment's
 * currency's card clearing account, which asks for every charge of that currency and takes every
 * answer (docs/architecture.md, Card payments). It is attached to the authorize processors beside
 * {@code balances}, so the answer that moves a payment out of {@code processing} and the booking it
 * causes are one exactly-once transaction.
 */
public final class CardPayments {

    /** The store's name; stable across releases because it names the changelog topic. */
    public static final String STORE_NAME = "card-payments";

    /**
     * How long an answered entry is kept after its payment's creation: the refund window and a day
     * more, so a refund of the payment still finds its charge id. A payment still {@code processing}
     * is kept until the processor answers, however long that takes.
     */
    public static final Duration KEPT = Refund.WINDOW.plus(Duration.ofDays(1));

    /** How often, in stream time, the task purges answered entries past {@link #KEPT}. */
    public static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);

    public static final JsonSerde<CardPayment> VALUE_SERDE = JsonSerde.of(CardPayment.class);

    private CardPayments() {
    }

    /** Whether {@code entry} can be deleted at {@code streamTimeMs}: answered, and past the refund window. */
    public static boolean isExpired(CardPayment entry, long streamTimeMs) {
        return entry.state() != CardPayment.State.PROCESSING
                && entry.payment().created().plus(KEPT).toEpochMilli() <= streamTimeMs;
    }

    /** The store as the topology registers it: persistent and {@link DurableStores#durable durable}. */
    public static StoreBuilder<KeyValueStore<String, CardPayment>> storeBuilder() {
        return DurableStores.durable(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE_NAME), Serdes.String(), VALUE_SERDE));
    }
}
