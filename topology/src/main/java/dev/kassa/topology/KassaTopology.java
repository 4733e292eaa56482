package dev.kassa.topology;

import dev.kassa.model.AccountEvent;
import dev.kassa.model.CardCharge;
import dev.kassa.model.CardChargeResult;
import dev.kassa.model.Command;
import dev.kassa.model.CommandReplay;
import dev.kassa.model.FraudDecision;
import dev.kassa.model.PaymentEvent;
import dev.kassa.model.Topic;
import dev.kassa.model.Topics;
import dev.kassa.topology.accounts.AccountDirectory;
import dev.kassa.topology.authorize.Balances;
import dev.kassa.topology.authorize.LedgerLegProcessor;
import dev.kassa.topology.authorize.Leg;
import dev.kassa.topology.authorize.Outcome;
import dev.kassa.topology.card.CardPayments;
import dev.kassa.topology.dedupe.DedupeProcessor;
import dev.kassa.topology.dedupe.Deduplicated;
import dev.kassa.topology.dedupe.IdempotencyKeys;
import dev.kassa.topology.fraud.FraudProcessor;
import dev.kassa.topology.fraud.FraudStores;
import dev.kassa.topology.fraud.RuleSetUpdater;
import dev.kassa.topology.initiate.InitiateProcessor;
import dev.kassa.topology.refund.RefundablePayments;
import dev.kassa.topology.treasury.TreasuryStores;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.BranchedKStream;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.ForeachAction;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;

/**
 * Builds Kassa's Kafka Streams topology. Pure: no I/O, nothing started; {@link KassaStreams} runs
 * what this returns, and tests drive the very same topology with TopologyTestDriver.
 *
 * <pre>
 * payments.commands (key: the account a command is decided at, {@code Command#routingKey()})
 *  └▶ dedupe [idempotency-keys, read; key merchantId:idempotencyKey]
 *      ├▶ payments.replays                                        CommandReplay (a repeated key)
 *      └▶ initiate [idempotency-keys, write] (first command) ─▶ payments.events  PaymentFailed (a deposit
 *          │                                                     from another account than the external one)
 *          ├▶ (same task) a payment's Debit, a deposit's Debit (at its treasury), a Refund
 *          └▶ ledger-legs (key: the account): an account's Open, a command keyed as before the upgrade
 *              └▶ fraud [fraud-activity, fraud-paid-destinations, global fraud-rules]: a payment's Debit judged
 *                  ├▶ fraud.decisions                         FraudDecision
 *                  ├▶ payments.events                         PaymentFailed (fraud_blocked)
 *                  └▶ authorize-legs [ledger stores, global account-directory]: Open, Debit (a deposit's
 *                      │                                      against the treasury's limits), Refund
 *                      ├▶ accounts.events                     AccountOpened
 *                      ├▶ payments.events                     PaymentCompleted, PaymentFailed,
 *                      │                                      RefundRequested, RefundCompleted, RefundFailed;
 *                      │                                      PaymentInitiated (the long way)
 *                      └▶ ledger-credits (key: destination; a refund's: source)
 *                          └▶ authorize-credits [ledger stores]: CompletedCredit; Credit, RefundCredit
 *                              ├▶ payments.events             PaymentCompleted (the long way)
 *                              └▶ ledger-reversals (key: source)
 *                                  └▶ authorize-reversals [ledger stores]: Reverse
 *                                      └▶ payments.events     PaymentFailed
 * fraud.rules ─▶ fraud-rules-updater [global fraud-rules]     the rule set in force, on every instance
 * accounts.events ─▶ account-directory-updater [global account-directory]  opened accounts' facts
 * card.results (key: card clearing account) ─▶ authorize-legs      the processor's answers (CardResult legs)
 * authorize-legs (a card payment's CardCharge), authorize-credits (a card payment's RefundCredit)
 *  └▶ card.charges                                            CardCharge, for the connector
 *
 * ledger stores: balances, refundable-payments, fraud-activity, fraud-paid-destinations, treasury-deposit-days,
 * card-payments
 * </pre>
 *
 * <p>A command reaches the task that owns the account it is decided at, so a payment is deduplicated,
 * judged, authorized and answered there, in the one exactly-once transaction that commits its
 * offset, and published once, by its outcome; only its destination's {@code CompletedCredit} goes on
 * to another partition, which cannot fail. A payment whose destination that task does not know yet
 * takes the long way: the debit publishes {@code PaymentInitiated}, and the destination's task
 * decides it (see {@link dev.kassa.topology.authorize.PaymentEvents}). Every stage shares stores with
 * the next, so the whole topology is one sub-topology whose tasks read {@code payments.commands} and
 * the three ledger repartition topics, partition by partition: the repartition topics must have as
 * many partitions as {@code payments.commands}.
 * A repeat of a key within {@link TopologySettings#dedupeRetention()} (stream time, from the first
 * command's timestamp) is answered on {@code payments.replays} and never executed; <b>after the
 * retention, a command with the same key is a new command</b> and makes a new payment or account.
 *
 * <p>Each account's balance is read and written by exactly one task. A payment's refundable
 * remainder sits with its destination's balance, and its refunds are keyed by that account, so one
 * task decides them all in turn (see {@link dev.kassa.topology.refund.RefundLedger}).
 * docs/architecture.md explains the design and why each invariant holds.
 *
 * <p>Every node, store and internal topic is named here: {@code describe()} reads like the design,
 * and the names of state and internal topics stay stable across releases.
 */
public final class KassaTopology {

    /** The balance store, for interactive queries. */
    public static final String BALANCES_STORE = Balances.STORE_NAME;

    /** The refundable remainder of each completed payment, beside its destination's balance. */
    public static final String REFUNDABLE_PAYMENTS_STORE = RefundablePayments.STORE_NAME;

    /** The idempotency key store of the dedupe stage, for interactive queries. */
    public static final String IDEMPOTENCY_KEYS_STORE = IdempotencyKeys.STORE_NAME;

    public static final String COMMANDS_SOURCE = "payments-commands";
    public static final String DEDUPE = "dedupe";
    public static final String INITIATE = "initiate";
    public static final String LEDGER_LEGS = "ledger-legs";
    public static final String LEDGER_CREDITS = "ledger-credits";
    public static final String LEDGER_REVERSALS = "ledger-reversals";
    public static final String AUTHORIZE_LEGS = "authorize-legs";
    public static final String AUTHORIZE_CREDITS = "authorize-credits";
    public static final String AUTHORIZE_REVERSALS = "authorize-reversals";
    public static final String FRAUD = "fraud";
    public static final String FRAUD_RULES_SOURCE = "fraud-rules-source";
    public static final String FRAUD_RULES_UPDATER = "fraud-rules-updater";
    public static final String CARD_RESULTS_SOURCE = "card-results";

    /** The fraud stores, for interactive queries. */
    public static final String FRAUD_ACTIVITY_STORE = FraudStores.ACTIVITY;

    /**
     * What every ledger stage reads and writes: balances, the refundable remainder of completed
     * payments, the sources' declines and debits for fraud, and each merchant's deposits of the day,
     * beside the external account's balance in its currency's treasury task.
     */
    private static final String[] LEDGER_STORES = {Balances.STORE_NAME, RefundablePayments.STORE_NAME,
            FraudStores.ACTIVITY, FraudStores.PAID_DESTINATIONS, TreasuryStores.DEPOSIT_DAYS,
            CardPayments.STORE_NAME};

    private KassaTopology() {
    }

    /**
     * The topology for {@code settings}. {@code streams} supplies the topology-level configuration
     * (no optimization, explicit naming enforced) so the topology is built exactly as it will run.
     */
    public static Topology build(TopologySettings settings, StreamsSettings streams) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(streams, "streams");
        StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(streams.toProperties())));
        builder.addStateStore(IdempotencyKeys.storeBuilder());
        builder.addStateStore(Balances.storeBuilder());
        builder.addStateStore(RefundablePayments.storeBuilder());
        builder.addStateStore(FraudStores.activity());
        builder.addStateStore(FraudStores.paidDestinations());
        builder.addStateStore(TreasuryStores.depositDays());
        builder.addStateStore(CardPayments.storeBuilder());
        addRuleStore(builder);

        addAccountDirectory(builder);

        KStream<String, Leg> firstLegs = initiate(dedupe(commands(builder), settings), settings);
        KStream<String, Leg> judged = fraud(firstLegs, settings);
        KStream<String, Leg> credits = authorizeLegs(judged.merge(cardResults(builder), Named.as(CARD_RESULTS_SOURCE
                + "-merge")), settings);
        KStream<String, Leg> reversals = authorizeCredits(repartition(credits, LEDGER_CREDITS, settings), settings);
        authorizeReversals(repartition(reversals, LEDGER_REVERSALS, settings), settings);
        return builder.build(streams.toProperties());
    }

    /** The global store every instance keeps of {@code fraud.rules}, read by the fraud stage. */
    private static void addRuleStore(StreamsBuilder builder) {
        Topic<String, byte[]> topic = Topics.FRAUD_RULES;
        ProcessorSupplier<String, byte[], Void, Void> updater = RuleSetUpdater::new;
        builder.addGlobalStore(FraudStores.rules(), topic.name(),
                Consumed.with(topic.keySerde(), topic.valueSerde()).withName(FRAUD_RULES_SOURCE), updater);
    }

    /** The global store every instance keeps of opened accounts' facts, read by the debit stage. */
    private static void addAccountDirectory(StreamsBuilder builder) {
        Topic<String, AccountEvent> topic = Topics.ACCOUNTS_EVENTS;
        ProcessorSupplier<String, AccountEvent, Void, Void> updater = AccountDirectory.Updater::new;
        builder.addGlobalStore(AccountDirectory.storeBuilder(), topic.name(),
                Consumed.with(topic.keySerde(), topic.valueSerde()).withName(AccountDirectory.SOURCE), updater);
    }

    /**
     * The processor's answers as the connector publishes them, keyed by the card clearing account that
     * asked: read by the task that owns that account, beside {@code payments.commands}, so
     * {@code card.results} has the commands' partition count (docs/architecture.md, Card payments).
     */
    private static KStream<String, Leg> cardResults(StreamsBuilder builder) {
        Topic<String, CardChargeResult> topic = Topics.CARD_RESULTS;
        return builder.stream(topic.name(),
                        Consumed.with(topic.keySerde(), topic.valueSerde()).withName(CARD_RESULTS_SOURCE))
                .mapValues(result -> (Leg) new Leg.CardResult(result), Named.as(CARD_RESULTS_SOURCE + "-leg"));
    }

    private static KStream<String, Command> commands(StreamsBuilder builder) {
        Topic<String, Command> topic = Topics.PAYMENTS_COMMANDS;
        return builder.stream(topic.name(),
                Consumed.with(topic.keySerde(), topic.valueSerde()).withName(COMMANDS_SOURCE));
    }

    /** Keyed by command key: repeats answered on payments.replays, first commands on to initiate. */
    private static KStream<String, Command> dedupe(KStream<String, Command> commands, TopologySettings settings) {
        ProcessorSupplier<String, Command, String, Deduplicated> supplier =
                () -> new DedupeProcessor(settings.dedupeRetention());
        KStream<String, Deduplicated> deduplicated =
                commands.process(supplier, Named.as(DEDUPE), IdempotencyKeys.STORE_NAME);
        ForeachAction<String, Deduplicated> reject = (key, outcome) -> {
            throw new IllegalStateException("stage " + DEDUPE + " emitted an outcome it does not route: " + outcome);
        };
        Map<String, KStream<String, Deduplicated>> branches = deduplicated.split(Named.as(DEDUPE + "-"))
                .branch((key, outcome) -> outcome instanceof Deduplicated.First, Branched.as(Deduplicated.First.BRANCH))
                .branch((key, outcome) -> outcome instanceof Deduplicated.Repeated,
                        Branched.as(Deduplicated.Repeated.BRANCH))
                .defaultBranch(Branched.withConsumer(undeclared ->
                        undeclared.foreach(reject, Named.as(DEDUPE + "-undeclared-outcome-guard")), "undeclared"));

        Topic<String, CommandReplay> replays = Topics.PAYMENTS_REPLAYS;
        branches.get(DEDUPE + "-" + Deduplicated.Repeated.BRANCH)
                .mapValues(outcome -> ((Deduplicated.Repeated) outcome).replay(), Named.as(DEDUPE + "-replay"))
                .to(replays.name(), Produced.with(replays.keySerde(), replays.valueSerde())
                        .withName(DEDUPE + "-to-payments-replays"));
        return branches.get(DEDUPE + "-" + Deduplicated.First.BRANCH)
                .mapValues(outcome -> ((Deduplicated.First) outcome).command(), Named.as(DEDUPE + "-first-command"));
    }

    /**
     * In the task of the command's account: the first leg out (no event, but the failure of a deposit
     * from another account than the external one), then the key remembered. The first
     * leg stays in this task when it touches the account the command was routed by (a payment's
     * debit, a deposit's debit of its external account, a refund); an account opening, and a deposit
     * keyed by its account as before the treasury, go through {@code ledger-legs} to the
     * account's partition first. Both reach the fraud stage, which passes everything but debits on.
     */
    private static KStream<String, Leg> initiate(KStream<String, Command> commands, TopologySettings settings) {
        ProcessorSupplier<String, Command, String, Outcome> supplier = () -> new InitiateProcessor(settings.faults());
        KStream<String, Outcome> outcomes = commands.process(supplier, Named.as(INITIATE), IdempotencyKeys.STORE_NAME);
        Map<String, KStream<String, Outcome>> branches =
                split(outcomes, INITIATE, Outcome.Kind.PAYMENT_EVENT, Outcome.Kind.LOCAL_LEG, Outcome.Kind.LEG);
        publishPaymentEvents(branches, INITIATE);
        KStream<String, Leg> kept = branch(branches, INITIATE, Outcome.Kind.LOCAL_LEG)
                .mapValues(outcome -> ((Outcome.LegKept) outcome).leg(), Named.as(INITIATE + "-local-leg"));
        return kept.merge(repartition(legs(branches, INITIATE), LEDGER_LEGS, settings), Named.as(LEDGER_LEGS + "-merge"));
    }

    /**
     * Judges debits at the source's partition: decisions to fraud.decisions, blocked payments failed,
     * every other leg on to authorize-legs in the same task.
     */
    private static KStream<String, Leg> fraud(KStream<String, Leg> legs, TopologySettings settings) {
        ProcessorSupplier<String, Leg, String, Outcome> supplier = () -> new FraudProcessor(settings.fraudRules());
        KStream<String, Outcome> outcomes = legs.process(supplier, Named.as(FRAUD),
                FraudStores.ACTIVITY, FraudStores.PAID_DESTINATIONS);
        Map<String, KStream<String, Outcome>> branches = split(outcomes, FRAUD,
                Outcome.Kind.FRAUD_DECISION, Outcome.Kind.PAYMENT_EVENT, Outcome.Kind.LEG);
        Topic<String, FraudDecision> decisions = Topics.FRAUD_DECISIONS;
        branch(branches, FRAUD, Outcome.Kind.FRAUD_DECISION)
                .mapValues(outcome -> ((Outcome.FraudDecisionEmitted) outcome).decision(), Named.as(FRAUD + "-decision"))
                .to(decisions.name(), Produced.with(decisions.keySerde(), decisions.valueSerde())
                        .withStreamPartitioner(new AccountPartitioner<>(FraudDecision::sourceAccountId))
                        .withName(FRAUD + "-to-fraud-decisions"));
        publishPaymentEvents(branches, FRAUD);
        return legs(branches, FRAUD);
    }

    /** Opens, debits (a deposit's at its treasury) and refunds, each at its account's partition, after fraud. */
    private static KStream<String, Leg> authorizeLegs(KStream<String, Leg> legs, TopologySettings settings) {
        KStream<String, Outcome> outcomes = authorize(legs, AUTHORIZE_LEGS, settings);
        Map<String, KStream<String, Outcome>> branches = split(outcomes, AUTHORIZE_LEGS,
                Outcome.Kind.PAYMENT_EVENT, Outcome.Kind.ACCOUNT_EVENT, Outcome.Kind.LEG, Outcome.Kind.CARD_CHARGE);
        publishPaymentEvents(branches, AUTHORIZE_LEGS);
        publishCardCharges(branches, AUTHORIZE_LEGS);
        publishAccountEvents(branches, AUTHORIZE_LEGS);
        return legs(branches, AUTHORIZE_LEGS);
    }

    /** Payment credits at the destination's partition; a refused credit turns into a reversal. */
    private static KStream<String, Leg> authorizeCredits(KStream<String, Leg> credits, TopologySettings settings) {
        KStream<String, Outcome> outcomes = authorize(credits, AUTHORIZE_CREDITS, settings);
        Map<String, KStream<String, Outcome>> branches = split(outcomes, AUTHORIZE_CREDITS,
                Outcome.Kind.PAYMENT_EVENT, Outcome.Kind.LEG, Outcome.Kind.CARD_CHARGE);
        publishPaymentEvents(branches, AUTHORIZE_CREDITS);
        publishCardCharges(branches, AUTHORIZE_CREDITS);
        return legs(branches, AUTHORIZE_CREDITS);
    }

    /** Reversals at the source's partition: the last hop, which only ever fails a payment. */
    private static void authorizeReversals(KStream<String, Leg> reversals, TopologySettings settings) {
        KStream<String, Outcome> outcomes = authorize(reversals, AUTHORIZE_REVERSALS, settings);
        publishPaymentEvents(split(outcomes, AUTHORIZE_REVERSALS, Outcome.Kind.PAYMENT_EVENT), AUTHORIZE_REVERSALS);
    }

    /** Routes legs through repartition topic {@code topic}, keyed by the account each touches. */
    private static KStream<String, Leg> repartition(KStream<String, Leg> legs, String topic, TopologySettings settings) {
        return legs.repartition(Repartitioned.with(Serdes.String(), Leg.SERDE)
                .withName(topic)
                .withNumberOfPartitions(settings.ledgerPartitions()));
    }

    /** Applies legs in processor {@code processor} on the ledger stores. */
    private static KStream<String, Outcome> authorize(KStream<String, Leg> legs, String processor,
                                                      TopologySettings settings) {
        // Payments become refundable where they complete, so that stage alone purges the expired ones;
        // deposits are counted where the treasury takes them, so that stage alone purges past days.
        ProcessorSupplier<String, Leg, String, Outcome> supplier = () -> new LedgerLegProcessor(
                settings.depositLimits(), processor.equals(AUTHORIZE_CREDITS), processor.equals(AUTHORIZE_LEGS));
        return legs.process(supplier, Named.as(processor), LEDGER_STORES);
    }

    /**
     * Splits a stage's outcomes into one branch per declared kind, named {@code stage-kind}. An
     * outcome of a kind the stage does not declare reaches the guard branch and stops the task: a
     * stage emitting what the topology does not route is a bug, and dropping it would lose a payment.
     */
    private static Map<String, KStream<String, Outcome>> split(KStream<String, Outcome> outcomes, String stage,
                                                               Outcome.Kind... kinds) {
        BranchedKStream<String, Outcome> split = outcomes.split(Named.as(stage + "-"));
        for (Outcome.Kind kind : kinds) {
            split = split.branch((key, outcome) -> outcome.kind() == kind, Branched.as(kind.branchName()));
        }
        ForeachAction<String, Outcome> reject = (key, outcome) -> {
            throw new IllegalStateException("stage " + stage + " emitted an outcome it does not route: " + outcome);
        };
        return split.defaultBranch(Branched.withConsumer(
                undeclared -> undeclared.foreach(reject, Named.as(stage + "-undeclared-outcome-guard")), "undeclared"));
    }

    private static void publishPaymentEvents(Map<String, KStream<String, Outcome>> branches, String stage) {
        Topic<String, PaymentEvent> topic = Topics.PAYMENTS_EVENTS;
        branch(branches, stage, Outcome.Kind.PAYMENT_EVENT)
                .mapValues(outcome -> ((Outcome.PaymentEventEmitted) outcome).event(),
                        Named.as(stage + "-payment-event"))
                .to(topic.name(), Produced.with(topic.keySerde(), topic.valueSerde())
                        .withStreamPartitioner(new AccountPartitioner<>(event -> event.payment().decidingAccount()))
                        .withName(stage + "-to-payments-events"));
    }

    private static void publishCardCharges(Map<String, KStream<String, Outcome>> branches, String stage) {
        Topic<String, CardCharge> topic = Topics.CARD_CHARGES;
        branch(branches, stage, Outcome.Kind.CARD_CHARGE)
                .mapValues(outcome -> ((Outcome.CardChargeRequested) outcome).charge(), Named.as(stage + "-card-charge"))
                .to(topic.name(), Produced.with(topic.keySerde(), topic.valueSerde())
                        .withName(stage + "-to-card-charges"));
    }

    private static void publishAccountEvents(Map<String, KStream<String, Outcome>> branches, String stage) {
        Topic<String, AccountEvent> topic = Topics.ACCOUNTS_EVENTS;
        branch(branches, stage, Outcome.Kind.ACCOUNT_EVENT)
                .mapValues(outcome -> ((Outcome.AccountEventEmitted) outcome).event(),
                        Named.as(stage + "-account-event"))
                .to(topic.name(), Produced.with(topic.keySerde(), topic.valueSerde())
                        .withName(stage + "-to-accounts-events"));
    }

    private static KStream<String, Leg> legs(Map<String, KStream<String, Outcome>> branches, String stage) {
        return branch(branches, stage, Outcome.Kind.LEG)
                .mapValues(outcome -> ((Outcome.LegForwarded) outcome).leg(), Named.as(stage + "-leg"));
    }

    private static KStream<String, Outcome> branch(Map<String, KStream<String, Outcome>> branches, String stage,
                                                   Outcome.Kind kind) {
        return Objects.requireNonNull(branches.get(stage + "-" + kind.branchName()),
                () -> "stage " + stage + " declares no " + kind + " branch");
    }
}
