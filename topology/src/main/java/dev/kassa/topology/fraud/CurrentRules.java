package dev.kassa.topology.fraud;

import dev.kassa.fraud.FraudRules;
import dev.kassa.fraud.InvalidRuleSetException;
import dev.kassa.fraud.RuleSet;
import dev.kassa.model.Topics;
import java.util.Arrays;
import java.util.Objects;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rule set in force for one fraud processor: the newest valid rule set in the {@code fraud-rules}
 * global store, or the topology's default until one is pushed. A rule file is parsed once when its
 * bytes change, not per payment. Bytes that do not parse (written to {@code fraud.rules} by anything
 * but {@code kassa rules push}, which validates) are refused with an error in the log, and the rule
 * set in force stays: judging payments by half a rule set, or by none, would be worse.
 */
final class CurrentRules {

    private static final Logger LOG = LoggerFactory.getLogger(CurrentRules.class);

    private final FraudRules defaults;
    private byte[] seenBytes;
    private FraudRules current;

    CurrentRules(FraudRules defaults) {
        this.defaults = Objects.requireNonNull(defaults, "defaults");
        this.current = defaults;
    }

    FraudRules current(KeyValueStore<String, byte[]> store) {
        byte[] bytes = store.get(Topics.FRAUD_RULES_KEY);
        if (bytes == null) {
            seenBytes = null;
            current = defaults;
        } else if (!Arrays.equals(bytes, seenBytes)) {
            seenBytes = bytes;
            current = parsedOrCurrent(bytes);
        }
        return current;
    }

    private FraudRules parsedOrCurrent(byte[] bytes) {
        try {
            RuleSet pushed = RuleSet.parse(bytes);
            LOG.info("fraud rule set {} in force (was {})", pushed.version(), current.version());
            return pushed;
        } catch (InvalidRuleSetException e) {
            LOG.error("refusing the rule set on {}: {}; rule set {} stays in force", Topics.FRAUD_RULES.name(),
                    e.getMessage(), current.version());
            return current;
        }
    }
}
