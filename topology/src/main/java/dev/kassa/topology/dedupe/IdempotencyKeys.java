package dev.kassa.topology.dedupe;

import dev.kassa.model.BinaryReader;
import dev.kassa.model.BinaryWriter;
import dev.kassa.model.CompactSerde;
import dev.kassa.topology.state.DurableStores;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The {@code idempotency-keys} store: command key {@code merchantId:idempotencyKey} to the
 * {@link IdempotencyEntry} of the first command with that key. Persistent and changelogged, so a
 * restarted or migrated task still refuses a repeat it saw before the move.
 */
public final class IdempotencyKeys {

    /** The store's name; stable across releases because it names the changelog topic and interactive queries use it. */
    public static final String STORE_NAME = "idempotency-keys";

    /**
     * The serde of the store's values: the compact binary form, one entry written per command
     * (docs/architecture.md, Internal record formats); JSON entries of earlier releases are still read.
     */
    public static final CompactSerde<IdempotencyEntry> VALUE_SERDE =
            new CompactSerde<>(IdempotencyEntry.class, (byte) 1) {
                @Override
                protected void write(BinaryWriter out, IdempotencyEntry entry) {
                    out.putString(entry.resourceId()).putLong(entry.firstSeenMs()).putString(entry.requestFingerprint());
                }

                @Override
                protected IdempotencyEntry read(BinaryReader in) {
                    return new IdempotencyEntry(in.getString(), in.getLong(), in.getString());
                }
            };

    private IdempotencyKeys() {
    }

    /**
     * The store as the topology registers it: {@link DurableStores#durable durable}. A key is in the
     * changelog in the same transaction as the command it let through, so a crash cannot let the
     * command through twice.
     */
    public static StoreBuilder<KeyValueStore<String, IdempotencyEntry>> storeBuilder() {
        return DurableStores.durable(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE_NAME), Serdes.String(), VALUE_SERDE));
    }
}
