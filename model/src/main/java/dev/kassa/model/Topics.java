package dev.kassa.model;

import java.util.List;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The one registry of Kassa's public topics. Code names topics through these constants, never
 * through string literals. Internal topics of the topology (repartitions, changelogs) are named by
 * the topology and prefixed with its application id by Kafka Streams.
 */
public final class Topics {

    /**
     * Commands from the API, keyed by the account each is decided at ({@link Command#routingKey()}); an
     * account opening, which names no account a retry would name again, by {@code merchantId:idempotencyKey}.
     * Internal: a payment's command is in the compact binary form ({@link CommandSerde}).
     */
    public static final Topic<String, Command> PAYMENTS_COMMANDS =
            new Topic<>("payments.commands", Serdes.String(), new CommandSerde());

    /** Payment lifecycle events, keyed by payment id. */
    public static final Topic<String, PaymentEvent> PAYMENTS_EVENTS =
            new Topic<>("payments.events", Serdes.String(), JsonSerde.of(PaymentEvent.class));

    /** Account lifecycle events, keyed by account id. */
    public static final Topic<String, AccountEvent> ACCOUNTS_EVENTS =
            new Topic<>("accounts.events", Serdes.String(), JsonSerde.of(AccountEvent.class));

    /**
     * Commands the topology's dedupe stage did not execute because their key was already seen,
     * keyed by {@code merchantId:idempotencyKey}, each naming the id the first command created.
     */
    public static final Topic<String, CommandReplay> PAYMENTS_REPLAYS =
            new Topic<>("payments.replays", Serdes.String(), JsonSerde.of(CommandReplay.class));

    /** Every fraud verdict with the features and rule set version behind it, keyed by payment id. */
    public static final Topic<String, FraudDecision> FRAUD_DECISIONS =
            new Topic<>("fraud.decisions", Serdes.String(), JsonSerde.of(FraudDecision.class));

    /**
     * The fraud rule set in force: compacted, one partition, one key ({@link #FRAUD_RULES_KEY}), the
     * value a rule file's bytes as {@code kassa rules push} validated and published them. Every
     * topology instance reads all of it into a global store.
     */
    public static final Topic<String, byte[]> FRAUD_RULES =
            new Topic<>("fraud.rules", Serdes.String(), Serdes.ByteArray());

    /** The one key of {@link #FRAUD_RULES}: the newest record under it is the rule set in force. */
    public static final String FRAUD_RULES_KEY = "rules";

    /**
     * Charges (and refunds of charges) the topology asks the card processor to make, keyed by payment
     * id; the connector reads them {@code read_committed} (docs/architecture.md, Card payments).
     */
    public static final Topic<String, CardCharge> CARD_CHARGES =
            new Topic<>("card.charges", Serdes.String(), JsonSerde.of(CardCharge.class));

    /**
     * The processor's answers, published by the connector keyed by the currency's card clearing
     * account, so each reaches the task that asked; read by the topology, whose tasks also read
     * {@link #PAYMENTS_COMMANDS}: the two topics have the same partition count.
     */
    public static final Topic<String, CardChargeResult> CARD_RESULTS =
            new Topic<>("card.results", Serdes.String(), JsonSerde.of(CardChargeResult.class));

    /**
     * What reconciliation with the card processor's settlement report found, keyed by the reconciled
     * UTC day: its items as they are found or change, and a summary per run (docs/architecture.md,
     * Reconciliation).
     */
    public static final Topic<String, ReconciliationResult> RECONCILIATION_RESULTS =
            new Topic<>("reconciliation.results", Serdes.String(), JsonSerde.of(ReconciliationResult.class));

    /** Records the topology could not read or process, with the reason in headers. */
    public static final Topic<byte[], byte[]> DEAD_LETTER =
            new Topic<>("kassa.dead-letter", Serdes.ByteArray(), Serdes.ByteArray());

    private Topics() {
    }

    /** Every public topic, for creating them at start (Kassa never relies on auto-creation). */
    public static List<Topic<?, ?>> all() {
        return List.of(PAYMENTS_COMMANDS, PAYMENTS_EVENTS, ACCOUNTS_EVENTS, PAYMENTS_REPLAYS, FRAUD_DECISIONS, FRAUD_RULES,
                DEAD_LETTER, CARD_CHARGES, CARD_RESULTS, RECONCILIATION_RESULTS);
    }
}
