package dev.kassa.topology.accounts;

import dev.kassa.model.AccountEvent;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The {@code account-directory}: a global store, on every instance, of the {@link AccountFacts} of
 * every account whose {@code AccountOpened} is on {@code accounts.events} (read {@code read_committed},
 * so only accounts whose opening committed, together with their entry in {@code balances}). The debit
 * stage reads it to decide at the source whether a payment's destination can take the money, so a
 * payment is answered in one hop. It is fed by its own thread and may be a moment behind: an account
 * it does not know yet is not refused, its credit takes the longer way through the destination's
 * partition, where {@code balances} decides (docs/architecture.md). Accounts are never removed, so a
 * known account's facts are never stale.
 */
public final class AccountDirectory {

    /** The store's name; stable across releases. */
    public static final String STORE_NAME = "account-directory";

    /** The source node of the global store, reading {@code accounts.events}. */
    public static final String SOURCE = "account-directory-source";

    private final KeyValueStore<String, AccountFacts> store;

    private AccountDirectory(KeyValueStore<String, AccountFacts> store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** The directory of the processor whose {@code context} this is. */
    public static AccountDirectory of(ProcessorContext<?, ?> context) {
        return new AccountDirectory(context.getStateStore(STORE_NAME));
    }

    /** What is known of {@code accountId}, or null when the directory has not seen it opened (yet). */
    public AccountFacts find(String accountId) {
        return store.get(accountId);
    }

    /**
     * Persistent, so a restart resumes from its checkpoint instead of reading every account again;
     * not changelogged, since a global store is restored from its source topic.
     */
    public static StoreBuilder<KeyValueStore<String, AccountFacts>> storeBuilder() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE_NAME), Serdes.String(),
                new AccountFactsSerde()).withLoggingDisabled();
    }

    /** Copies every opened account's facts into the global store; other events and tombstones change nothing. */
    public static final class Updater implements Processor<String, AccountEvent, Void, Void> {

        private KeyValueStore<String, AccountFacts> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(STORE_NAME);
        }

        @Override
        public void process(Record<String, AccountEvent> record) {
            AccountEvent event = record.value();
            if (event != null && event.type() == AccountEvent.Type.AccountOpened) {
                store.put(event.account().id(), AccountFacts.of(event.account()));
            }
        }
    }
}
