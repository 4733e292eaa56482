package dev.kassa.topology.fraud;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@code fraud-rules} global store equal to the {@code fraud.rules} topic: the newest
 * bytes under each key, a tombstone deleting it (back to the default rules). Validation happens where
 * the rules are used ({@link CurrentRules}), because a global store is also restored from the topic
 * without passing through this processor.
 */
public final class RuleSetUpdater implements Processor<String, byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(RuleSetUpdater.class);

    private KeyValueStore<String, byte[]> store;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(FraudStores.RULES);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null) {
            LOG.warn("ignoring a record without a key on the fraud rules topic at timestamp {}", record.timestamp());
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
    }
}
