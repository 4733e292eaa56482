package dev.kassa.topology.refund;

import dev.kassa.model.BinaryReader;
import dev.kassa.model.BinaryWriter;
import dev.kassa.model.CompactSerde;
import dev.kassa.model.PaymentCodec;
import dev.kassa.model.Refund;
import dev.kassa.topology.state.DurableStores;
import java.time.Duration;
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

    /**
     * How long an entry is kept after its payment's creation: the refund window and a day more, so a
     * refund the API accepted on the window's last day still finds its payment here.
     */
    public static final Duration KEPT = Refund.WINDOW.plus(Duration.ofDays(1));

    /** How often, in stream time, the task that writes the entries purges expired ones. */
    public static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);

    /**
     * The serde of the store's values: the compact binary form, one entry written per completed
     * payment (docs/architecture.md, Internal record formats); JSON entries of earlier releases are
     * still read.
     */
    public static final CompactSerde<RefundablePayment> VALUE_SERDE =
            new CompactSerde<>(RefundablePayment.class, (byte) 1) {
                @Override
                protected void write(BinaryWriter out, RefundablePayment entry) {
                    PaymentCodec.write(out, entry.payment());
                    out.putLong(entry.nextSequence());
                }

                @Override
                protected RefundablePayment read(BinaryReader in) {
                    return new RefundablePayment(PaymentCodec.readPayment(in), in.getLong());
                }
            };

    private RefundablePayments() {
    }

    /** Whether {@code entry} can be deleted at {@code streamTimeMs}: its payment is past the refund window. */
    public static boolean isExpired(RefundablePayment entry, long streamTimeMs) {
        return entry.payment().created().plus(KEPT).toEpochMilli() <= streamTimeMs;
    }

    /** The store as the topology registers it: persistent and {@link DurableStores#durable durable}. */
    public static StoreBuilder<KeyValueStore<String, RefundablePayment>> storeBuilder() {
        return DurableStores.durable(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE_NAME), Serdes.String(), VALUE_SERDE));
    }
}
