package dev.kassa.topology.initiate;

import dev.kassa.model.Account;
import dev.kassa.model.Command;
import dev.kassa.model.CreatePayment;
import dev.kassa.model.CreateRefund;
import dev.kassa.model.DeclineCode;
import dev.kassa.model.Ids;
import dev.kassa.model.OpenAccount;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentKind;
import dev.kassa.topology.authorize.Leg;
import dev.kassa.topology.authorize.Outcome;
import dev.kassa.topology.authorize.Outcome.LegForwarded;
import dev.kassa.topology.authorize.Outcome.PaymentEventEmitted;
import dev.kassa.topology.authorize.PaymentEvents;
import dev.kassa.topology.dedupe.DedupeProcessor;
import dev.kassa.topology.dedupe.IdempotencyEntry;
import dev.kassa.topology.dedupe.IdempotencyKeys;
import dev.kassa.topology.errors.FaultInjection;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stage after dedupe, in the task of the command's {@link Command#routingKey()}: turns a command
 * into its first ledger leg. It publishes no event but the failure of a deposit that names another
 * source than the external account: a payment is published by its outcome, decided in this task's
 * transaction, or by {@code PaymentInitiated} at its debit when it takes the long way (see
 * {@link PaymentEvents}). The first leg of
 * a payment (the debit of its source), of a deposit (the debit of its currency's external account, at
 * the treasury task) and of a refund (at its payment's destination) touches the account the command
 * was routed by, so it stays in this task ({@link Outcome.LegKept}); an account opening goes on to the
 * account's partition, and so does the debit of a deposit an earlier release keyed by its account. The dedupe stage
 * goes directly before this one, in the same task, so a repeated command never gets here.
 *
 * <p>This stage, not dedupe, writes the key to the {@code idempotency-keys} store, and only after
 * the command's outcomes are forwarded: a command that fails here is set aside on the dead letter
 * topic (see {@link dev.kassa.topology.errors.CommandStageFailureHandler}) and must leave no key
 * behind, or its retries would be answered with a payment that never existed.
 */
public final class InitiateProcessor implements Processor<String, Command, String, Outcome> {

    private static final Logger LOG = LoggerFactory.getLogger(InitiateProcessor.class);

    private final FaultInjection faults;
    private ProcessorContext<String, Outcome> context;
    private KeyValueStore<String, IdempotencyEntry> keys;

    public InitiateProcessor(FaultInjection faults) {
        this.faults = Objects.requireNonNull(faults, "faults");
    }

    @Override
    public void init(ProcessorContext<String, Outcome> context) {
        this.context = context;
        this.keys = context.getStateStore(IdempotencyKeys.STORE_NAME);
    }

    @Override
    public void process(Record<String, Command> record) {
        Command command = record.value();
        if (command == null) {
            // A tombstone carries no command to answer; the API never publishes one.
            LOG.warn("skipping a record without a command on key {} at timestamp {}", record.key(), record.timestamp());
            return;
        }
        faults.beforeInitiate(command);
        for (Outcome outcome : initiate(command, Instant.ofEpochMilli(record.timestamp()))) {
            Outcome routed = keptHere(outcome, record.key());
            context.forward(record.withKey(routed.key()).withValue(routed));
        }
        keys.put(command.key(), DedupeProcessor.entryOf(command, record.timestamp()));
    }

    /**
     * A leg that touches the account this record was keyed by stays in this task, which owns that
     * account's partition: the payment is decided in this hop. Any other leg goes through the ledger
     * repartition topic: an account opening, published under its command key, and a command published
     * under another key than its {@link Command#routingKey()} (by a release that keyed commands by
     * {@link Command#key()}), which must still reach the task that owns its account.
     */
    private static Outcome keptHere(Outcome outcome, String recordKey) {
        return outcome instanceof LegForwarded forwarded && forwarded.leg().accountId().equals(recordKey)
                ? new Outcome.LegKept(forwarded.leg())
                : outcome;
    }

    /** The outcomes of one command, in the order they must be published. */
    static List<Outcome> initiate(Command command, Instant occurredAt) {
        if (command instanceof OpenAccount open) {
            return List.of(new LegForwarded(new Leg.Open(account(open))));
        }
        if (command instanceof CreatePayment create && create.kind() == PaymentKind.CARD) {
            // Charged at its card clearing account's task, this one: the processor is asked, the payment kept processing.
            return List.of(new LegForwarded(new Leg.CardCharge(Payment.pending(create), create.cardToken())));
        }
        if (command instanceof CreatePayment create) {
            return List.of(firstLeg(Payment.pending(create), occurredAt));
        }
        if (command instanceof CreateRefund refund) {
            // Its events are numbered on from the payment's, so they are emitted where it is decided.
            return List.of(new LegForwarded(new Leg.Refund(refund)));
        }
        throw new IllegalStateException("unknown command " + command.getClass().getName() + " on key " + command.key());
    }

    /** Only external accounts may go negative, and they are never opened through a command. */
    private static Account account(OpenAccount open) {
        return new Account(open.accountId(), open.merchantId(), open.currency(), false, open.requestedAt());
    }

    /**
     * A payment starts by debiting its source, and so does a deposit: its source is the currency's
     * external account, whose task is the currency's treasury. A deposit an earlier release published
     * keyed by the account it credits is deduplicated in that account's task, where its retries meet
     * its key, and its debit goes on to the treasury like any leg of another account.
     * Nothing about either is published yet, so the first event is the one its next stage decides.
     */
    private static Outcome firstLeg(Payment pending, Instant occurredAt) {
        if (pending.kind() == PaymentKind.PAYMENT) {
            return new LegForwarded(new Leg.Debit(pending, false));
        }
        if (!pending.source().equals(Ids.externalAccount(pending.currency()))) {
            // Crediting a deposit from any other account would book money that nobody debited.
            LOG.warn("payment {}: a deposit must come from {}, not {}; failing it",
                    pending.id(), Ids.externalAccount(pending.currency()), pending.source());
            return new PaymentEventEmitted(PaymentEvents.failed(pending, DeclineCode.ACCOUNT_NOT_FOUND,
                    PaymentEvents.DECIDED_AT_ONCE, occurredAt));
        }
        return new LegForwarded(new Leg.Debit(pending, false));
    }
}
