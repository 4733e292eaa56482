package dev.kassa.topology;

import dev.kassa.fraud.FraudRules;
import java.util.Objects;

/**
 * What the topology is built from besides the topic registry: the fraud rules it applies and the
 * partition count of its ledger repartition topics. The dedupe retention and the fraud windows join
 * this record with their stages.
 *
 * @param fraudRules       judges every payment at its source account's partition
 * @param ledgerPartitions partitions of each ledger repartition topic; all three must be equal
 *                         because one task applies the legs of all three hops to the same
 *                         {@code balances} partition. Changing it on a deployed application
 *                         moves accounts between partitions and needs an application reset.
 */
public record TopologySettings(FraudRules fraudRules, int ledgerPartitions) {

    /** Enough for a handful of instances; match {@code payments.commands} in production. */
    public static final int DEFAULT_LEDGER_PARTITIONS = 6;

    /** Bound on the partition count, well above anything one cluster needs for one topology. */
    public static final int MAX_LEDGER_PARTITIONS = 1024;

    public TopologySettings {
        Objects.requireNonNull(fraudRules, "fraudRules");
        if (ledgerPartitions < 1 || ledgerPartitions > MAX_LEDGER_PARTITIONS) {
            throw new IllegalArgumentException("ledgerPartitions must be within 1.." + MAX_LEDGER_PARTITIONS + ": "
                    + ledgerPartitions);
        }
    }

    /** Allow-all fraud rules and {@link #DEFAULT_LEDGER_PARTITIONS}: the walking skeleton's wiring. */
    public static TopologySettings defaults() {
        return new TopologySettings(FraudRules.allowAll(), DEFAULT_LEDGER_PARTITIONS);
    }

    public TopologySettings withFraudRules(FraudRules rules) {
        return new TopologySettings(rules, ledgerPartitions);
    }

    public TopologySettings withLedgerPartitions(int partitions) {
        return new TopologySettings(fraudRules, partitions);
    }
}
