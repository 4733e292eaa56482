package dev.kassa.topology;

import dev.kassa.fraud.FraudRules;
import dev.kassa.fraud.RuleSet;
import dev.kassa.model.Bounds;
import dev.kassa.topology.errors.FaultInjection;
import dev.kassa.topology.treasury.DepositLimits;
import java.time.Duration;
import java.util.Objects;

/**
 * What the topology is built from besides the topic registry: the fraud rules it applies until a
 * rule set is pushed, the partition count of its ledger repartition topics, how long the dedupe
 * stage remembers an idempotency key and the limits on deposits.
 *
 * @param fraudRules       judges every payment at its source account's partition until a rule set
 *                         is pushed to {@code fraud.rules}, and again if that one is deleted
 * @param ledgerPartitions partitions of each ledger repartition topic; they must equal those of
 *                         {@code payments.commands}, because one task reads a partition of each
 *                         and applies them to the same {@code balances} partition (the app passes
 *                         the count the topic has). Changing it on a deployed application moves
 *                         accounts between partitions and needs an application reset.
 * @param dedupeRetention  how long, in stream time from its first command, a key of
 *                         {@code payments.commands} is remembered; a command with the key after that
 *                         is a new command. At least the API's 24 h Redis expiry, which it backs up.
 * @param depositLimits    the supply cap per currency and each merchant's single and daily deposit
 *                         limits, checked by the treasury task of the deposit's currency
 * @param faults           failures tests inject into chosen records; {@link FaultInjection#NONE} in
 *                         production
 */
public record TopologySettings(FraudRules fraudRules, int ledgerPartitions, Duration dedupeRetention,
                               DepositLimits depositLimits, FaultInjection faults) {

    /** Enough for a handful of instances; match {@code payments.commands} in production. */
    public static final int LEDGER_PARTITIONS_DEFAULT = 6;

    /** Bound on the partition count, well above anything one cluster needs for one topology. */
    public static final int LEDGER_PARTITIONS_MAX = 1024;

    /** The API's 24 h idempotency window plus an hour for clock skew and commands still in flight. */
    public static final Duration DEDUPE_RETENTION_DEFAULT = Duration.ofHours(25);

    /** Bound on the retention: a month of keys is already far more state than a retry window needs. */
    public static final Duration DEDUPE_RETENTION_MAX = Duration.ofDays(31);

    public TopologySettings {
        Objects.requireNonNull(fraudRules, "fraudRules");
        if (ledgerPartitions < 1 || ledgerPartitions > LEDGER_PARTITIONS_MAX) {
            throw new IllegalArgumentException("ledgerPartitions must be within 1.." + LEDGER_PARTITIONS_MAX + ": "
                    + ledgerPartitions);
        }
        Bounds.requireWithin("dedupeRetention", dedupeRetention, Duration.ofMillis(1), DEDUPE_RETENTION_MAX);
        Objects.requireNonNull(depositLimits, "depositLimits");
        Objects.requireNonNull(faults, "faults");
    }

    /**
     * The rule set shipped in the jar ({@link RuleSet#defaults()}), {@link #LEDGER_PARTITIONS_DEFAULT},
     * {@link #DEDUPE_RETENTION_DEFAULT}, the {@link DepositLimits#DEFAULTS default deposit limits} and no
     * injected faults.
     */
    public static TopologySettings defaults() {
        return builder().build();
    }

    /** A builder seeded with {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder seeded with these settings. */
    public Builder toBuilder() {
        return new Builder().fraudRules(fraudRules).ledgerPartitions(ledgerPartitions).dedupeRetention(dedupeRetention)
                .depositLimits(depositLimits).faults(faults);
    }

    /** Builds {@link TopologySettings}; every setting starts at its default, and {@link #build()} checks them all. */
    public static final class Builder {
        private FraudRules fraudRules = RuleSet.defaults();
        private int ledgerPartitions = LEDGER_PARTITIONS_DEFAULT;
        private Duration dedupeRetention = DEDUPE_RETENTION_DEFAULT;
        private DepositLimits depositLimits = DepositLimits.DEFAULTS;
        private FaultInjection faults = FaultInjection.NONE;

        private Builder() {
        }

        public Builder fraudRules(FraudRules fraudRules) { this.fraudRules = fraudRules; return this; }
        public Builder ledgerPartitions(int ledgerPartitions) { this.ledgerPartitions = ledgerPartitions; return this; }
        public Builder dedupeRetention(Duration dedupeRetention) { this.dedupeRetention = dedupeRetention; return this; }
        public Builder depositLimits(DepositLimits depositLimits) { this.depositLimits = depositLimits; return this; }

        /** Failures to inject into chosen records; for tests only. */
        public Builder faults(FaultInjection faults) { this.faults = faults; return this; }

        public TopologySettings build() {
            return new TopologySettings(fraudRules, ledgerPartitions, dedupeRetention, depositLimits, faults);
        }
    }
}
