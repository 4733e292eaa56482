package dev.kassa.topology.authorize;

import dev.kassa.model.Account;
import dev.kassa.model.AccountEvent;
import dev.kassa.model.CardChargeResult;
import dev.kassa.model.DeclineCode;
import dev.kassa.model.Ids;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentEvent;
import dev.kassa.model.PaymentKind;
import dev.kassa.topology.authorize.Outcome.AccountEventEmitted;
import dev.kassa.topology.authorize.Outcome.LegForwarded;
import dev.kassa.topology.authorize.Outcome.PaymentEventEmitted;
import dev.kassa.topology.accounts.AccountDirectory;
import dev.kassa.topology.accounts.AccountFacts;
import dev.kassa.topology.card.CardClearing;
import dev.kassa.topology.card.CardPayment;
import dev.kassa.topology.card.CardPayments;
import dev.kassa.topology.fraud.FraudMemory;
import dev.kassa.topology.refund.RefundLedger;
import dev.kassa.topology.refund.RefundablePayments;
import dev.kassa.topology.treasury.DepositLimits;
import dev.kassa.topology.treasury.Treasury;
import dev.kassa.topology.treasury.TreasuryStores;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one {@link Leg} to the balance of the account it is keyed by, in the {@code balances}
 * store, and says what follows: an event to publish, or the next leg for another account's
 * partition. The same class runs at every ledger hop; what a leg does depends only on the leg.
 *
 * <p>Balance write and outputs happen in one exactly-once transaction, so a crash either keeps both
 * or neither. Time comes from the record timestamp only, never the wall clock, so a replay after a
 * crash and a TopologyTestDriver test see the same {@code occurredAt}.
 */
public final class LedgerLegProcessor implements Processor<String, Leg, String, Outcome> {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerLegProcessor.class);

    private final DepositLimits depositLimits;
    private final boolean purgesRefundable;
    private final boolean purgesDepositDays;
    private ProcessorContext<String, Outcome> context;
    private Treasury treasury;
    private CardClearing cards;
    private KeyValueStore<String, AccountBalance> balances;
    private FraudMemory fraudMemory;
    private RefundLedger refunds;
    private AccountDirectory directory;

    /**
     * @param depositLimits     what the treasury task of a currency lets in as deposits
     * @param purgesRefundable  whether this processor purges payments past the refund window from
     *                          {@code refundable-payments}: the one that writes them does, so the
     *                          store is swept once, not once per ledger stage
     * @param purgesDepositDays whether this processor purges past days from
     *                          {@code treasury-deposit-days}: the one that takes deposits does
     */
    public LedgerLegProcessor(DepositLimits depositLimits, boolean purgesRefundable, boolean purgesDepositDays) {
        this.depositLimits = Objects.requireNonNull(depositLimits, "depositLimits");
        this.purgesRefundable = purgesRefundable;
        this.purgesDepositDays = purgesDepositDays;
    }

    @Override
    public void init(ProcessorContext<String, Outcome> context) {
        this.context = context;
        this.balances = context.getStateStore(Balances.STORE_NAME);
        this.fraudMemory = FraudMemory.of(context);
        this.directory = AccountDirectory.of(context);
        this.refunds = new RefundLedger(balances, context.getStateStore(RefundablePayments.STORE_NAME));
        this.treasury = new Treasury(depositLimits, balances, context.getStateStore(TreasuryStores.DEPOSIT_DAYS));
        this.cards = new CardClearing(context.getStateStore(CardPayments.STORE_NAME));
        if (purgesRefundable) {
            context.schedule(RefundablePayments.PURGE_INTERVAL, PunctuationType.STREAM_TIME, refunds::purge);
        }
        if (purgesDepositDays) {
            // The stage that asks for card charges and takes their answers purges the answered ones.
            context.schedule(CardPayments.PURGE_INTERVAL, PunctuationType.STREAM_TIME, cards::purge);
        }
        if (purgesDepositDays) {
            context.schedule(TreasuryStores.PURGE_INTERVAL, PunctuationType.STREAM_TIME, treasury::purge);
        }
    }

    @Override
    public void process(Record<String, Leg> record) {
        Leg leg = Objects.requireNonNull(record.value(),
                () -> "ledger leg record without a value at key " + record.key());
        for (Outcome outcome : apply(leg, record.timestamp())) {
            context.forward(record.withKey(outcome.key()).withValue(outcome));
        }
    }

    private List<Outcome> apply(Leg leg, long timestampMs) {
        Instant occurredAt = Instant.ofEpochMilli(timestampMs);
        if (leg instanceof Leg.Open open) {
            return open(open.account(), occurredAt);
        }
        if (leg instanceof Leg.Debit debit) {
            return debit(debit, timestampMs);
        }
        if (leg instanceof Leg.Credit credit) {
            return credit(credit, occurredAt);
        }
        if (leg instanceof Leg.CompletedCredit credit) {
            return completedCredit(credit.payment(), credit.sequence());
        }
        if (leg instanceof Leg.Reverse reverse) {
            return reverse(reverse.payment(), reverse.declineCode(), timestampMs);
        }
        if (leg instanceof Leg.Refund refund) {
            return refunds.refund(refund.command(), occurredAt);
        }
        if (leg instanceof Leg.RefundCredit credit) {
            return refundCredit(credit);
        }
        if (leg instanceof Leg.CardCharge charge) {
            return cardCharge(charge.payment(), charge.cardToken(), occurredAt);
        }
        if (leg instanceof Leg.CardResult result) {
            return cardResult(result.result(), timestampMs);
        }
        throw new IllegalStateException("unknown ledger leg " + leg);
    }

    /**
     * Opens the account unless it exists. An existing account is left as it is — resetting it would
     * erase money — and no second {@code AccountOpened} is published, since the account was not
     * opened again.
     */
    private List<Outcome> open(Account account, Instant occurredAt) {
        AccountBalance existing = balances.get(account.id());
        if (existing != null) {
            boolean sameAccount = existing.merchantId().equals(account.merchantId())
                    && existing.currency().equals(account.currency());
            if (!sameAccount) {
                LOG.warn("account {} is already open for merchant {} in {}; ignoring a request to open it "
                                + "for merchant {} in {}", account.id(), existing.merchantId(), existing.currency(),
                        account.merchantId(), account.currency());
            }
            return List.of();
        }
        balances.put(account.id(), AccountBalance.opened(account));
        return List.of(new AccountEventEmitted(AccountEvent.opened(account, occurredAt)));
    }

    /**
     * Decides a payment at its source's partition, in the task that owns the source's balance. The
     * fraud stage has judged it just before, in this same task. When the {@link AccountDirectory}
     * knows the destination, the payment is decided here whole: refused if the destination cannot
     * take the money, else the source is debited, {@code PaymentCompleted} emitted and a
     * {@code CompletedCredit} that cannot fail sent to the destination's partition, all in this one
     * transaction (one committed hop). A destination the directory does not know yet (opened a moment
     * ago) takes the longer way: the debit and {@code PaymentInitiated}, the one case where it is
     * published, then a {@code Credit} that the destination's task decides. The outcome decided here is
     * the payment's first event, unless the previous release published its {@code PaymentInitiated}
     * before the debit ({@link Leg.Debit#initiatedPublished()}); that payment never gets a second one.
     * A refusal counts as a decline of the source and a debit as a payment to its destination, for the
     * fraud features of the source's next payments.
     *
     * <p>A deposit is decided the same way at its source, the currency's external account: this task
     * is the currency's treasury, which checks the destination as a payment's source does, then the
     * merchant's deposit limits and the supply cap ({@link Treasury}), debits the external account
     * (which may go negative, down to {@code -supplyCap}) and counts the deposit against the merchant's
     * day. Deposits are not judged for fraud and leave no fraud features.
     */
    private List<Outcome> debit(Leg.Debit debit, long timestampMs) {
        Payment payment = debit.payment();
        boolean deposit = payment.kind() == PaymentKind.DEPOSIT;
        boolean card = payment.kind() == PaymentKind.CARD;
        AccountBalance source = deposit ? treasury.externalAccount(payment.currency())
                : card ? clearingAccount(payment.currency()) : balances.get(payment.source());
        Optional<DeclineCode> refusal = deposit || card ? Optional.empty() : sourceRefusal(source, payment);
        AccountFacts destination = directory.find(payment.destination());
        if (refusal.isEmpty() && destination != null) {
            refusal = refusal(destination, payment);
        }
        if (refusal.isEmpty() && deposit) {
            refusal = treasury.refusal(source, payment, timestampMs);
        }
        Instant occurredAt = Instant.ofEpochMilli(timestampMs);
        long sequence = PaymentEvents.outcomeSequence(debit.initiatedPublished());
        if (refusal.isPresent()) {
            if (payment.kind() == PaymentKind.PAYMENT) {
                fraudMemory.recordDecline(payment.source(), timestampMs);
            }
            return List.of(new PaymentEventEmitted(PaymentEvents.failed(payment, refusal.get(), sequence, occurredAt)));
        }
        balances.put(source.accountId(), source.debited(payment.amount()));
        if (deposit) {
            treasury.deposited(payment, timestampMs);
        } else if (!card) {
            fraudMemory.recordDebit(payment.source(), payment.destination(), timestampMs);
        }
        if (destination == null) {
            LegForwarded credit = new LegForwarded(new Leg.Credit(payment, true, true));
            return debit.initiatedPublished()
                    ? List.of(credit)
                    : List.of(new PaymentEventEmitted(PaymentEvents.initiated(payment, occurredAt)), credit);
        }
        PaymentEvent completed = PaymentEvents.completed(payment, sequence, occurredAt);
        return List.of(new PaymentEventEmitted(completed),
                new LegForwarded(new Leg.CompletedCredit(completed.payment(), completed.sequence())));
    }

    /**
     * Asks for a card payment's charge, at its currency's card clearing account: a destination the
     * directory knows cannot take it fails the payment at once, before any card is charged; otherwise
     * the payment is kept {@code processing}, published so ({@code PaymentInitiated}, sequence 1) and
     * its charge sent to {@code card.charges} for the connector, all in this transaction. Nothing here
     * calls the processor (docs/architecture.md, Card payments).
     */
    private List<Outcome> cardCharge(Payment payment, String cardToken, Instant occurredAt) {
        AccountFacts destination = directory.find(payment.destination());
        Optional<DeclineCode> refusal = destination == null ? Optional.empty() : refusal(destination, payment);
        if (refusal.isPresent()) {
            return List.of(new PaymentEventEmitted(
                    PaymentEvents.failed(payment, refusal.get(), PaymentEvents.DECIDED_AT_ONCE, occurredAt)));
        }
        return cards.request(payment, cardToken)
                .<List<Outcome>>map(charge -> List.of(
                        new PaymentEventEmitted(PaymentEvents.initiated(payment, occurredAt)),
                        new Outcome.CardChargeRequested(charge)))
                .orElse(List.of());
    }

    /**
     * Takes the processor's answer to a card payment's charge, once: a charge debits the clearing
     * account and completes the payment exactly as a deposit's debit does at its treasury (sequence 2,
     * clearing account −amount, destination +amount, the destination's credit sent on); a decline
     * fails it with the processor's reason and books nothing. A refund's answer books nothing either:
     * the refund was booked when it was decided, and the processor's answer is for reconciliation.
     */
    private List<Outcome> cardResult(CardChargeResult result, long timestampMs) {
        if (result.refundId() != null) {
            LOG.info("refund {} of card payment {}: the processor answered {}", result.refundId(), result.paymentId(),
                    result.succeeded() ? "refunded as " + result.processorId() : result.declineCode().code());
            return List.of();
        }
        Optional<CardPayment> answered = cards.answer(result);
        if (answered.isEmpty()) {
            return List.of();
        }
        Payment payment = answered.get().payment();
        if (!result.succeeded()) {
            return List.of(new PaymentEventEmitted(PaymentEvents.failed(payment, result.declineCode(),
                    PaymentEvents.AFTER_INITIATED, Instant.ofEpochMilli(timestampMs))));
        }
        return debit(new Leg.Debit(payment, true), timestampMs);
    }

    /**
     * Gives a refund's amount back to the payment's source; when that is a card clearing account, the
     * money goes back to the card: the refund is asked of the processor like a charge.
     */
    private List<Outcome> refundCredit(Leg.RefundCredit credit) {
        List<Outcome> outcomes = refunds.credit(credit.refund(), credit.source());
        if (!Ids.isCardClearingAccount(credit.source())) {
            return outcomes;
        }
        return cards.refund(credit.refund())
                .<List<Outcome>>map(refund -> List.of(new Outcome.CardChargeRequested(refund)))
                .orElse(outcomes);
    }

    /**
     * The balance of {@code currency}'s card clearing account, at zero before its first card payment:
     * owned by the platform and allowed to go negative (what the processor owes), as the ledger opens it.
     */
    private AccountBalance clearingAccount(String currency) {
        String id = Ids.cardClearingAccount(currency);
        AccountBalance existing = balances.get(id);
        return existing != null ? existing : new AccountBalance(id, Ids.EXTERNAL_ACCOUNT_OWNER, currency, true, 0);
    }

    /** Why a payment's source cannot pay it: missing, another merchant's, another currency, or short of money. */
    private static Optional<DeclineCode> sourceRefusal(AccountBalance source, Payment payment) {
        Optional<DeclineCode> refusal = refusal(source, payment);
        if (refusal.isEmpty() && !source.covers(payment.amount())) {
            return Optional.of(DeclineCode.INSUFFICIENT_FUNDS);
        }
        return refusal;
    }

    /**
     * Credits a payment that completed at its source, whose task checked that this destination can
     * take it, and makes the payment refundable here. Accounts are never removed and the directory
     * only knows accounts whose opening committed with their balance, so a missing destination is a
     * broken invariant. The payment's refund events number on from {@code completedSequence}.
     */
    private List<Outcome> completedCredit(Payment payment, long completedSequence) {
        AccountBalance destination = balances.get(payment.destination());
        if (destination == null) {
            throw new IllegalStateException("payment " + payment.id() + ": cannot credit " + payment.amount() + " "
                    + payment.currency() + " to destination " + payment.destination()
                    + ", which is not in the balance store");
        }
        balances.put(destination.accountId(), destination.credited(payment.amount()));
        refunds.completed(payment, completedSequence);
        return List.of();
    }

    /**
     * Gives the amount to the destination and completes the payment. A destination that cannot take
     * it sends a reversal back to the source, a deposit's to its treasury; a deposit credit an earlier
     * release wrote debited nobody ({@link Leg.Credit#sourceDebited()}), so it simply fails. A payment
     * credited here took the long way, so its outcome follows its {@code PaymentInitiated}; an earlier
     * release's deposit credit is decided here at once, its first event unless the release before that
     * wrote the leg.
     */
    private List<Outcome> credit(Leg.Credit credit, Instant occurredAt) {
        Payment payment = credit.payment();
        long sequence = PaymentEvents.outcomeSequence(credit.initiatedPublished());
        AccountBalance destination = balances.get(payment.destination());
        Optional<DeclineCode> refusal = refusal(destination, payment);
        if (refusal.isPresent() && !credit.sourceDebited()) {
            return List.of(new PaymentEventEmitted(PaymentEvents.failed(payment, refusal.get(), sequence, occurredAt)));
        }
        if (refusal.isPresent()) {
            return List.of(new LegForwarded(new Leg.Reverse(payment, refusal.get())));
        }
        balances.put(destination.accountId(), destination.credited(payment.amount()));
        PaymentEvent completed = PaymentEvents.completed(payment, sequence, occurredAt);
        refunds.completed(completed.payment(), completed.sequence());
        return List.of(new PaymentEventEmitted(completed));
    }

    /**
     * Gives the source back what {@link #debit} took, then fails the payment with the credit's decline
     * code. Only the long way reverses, so the failure follows the payment's {@code PaymentInitiated}.
     */
    private List<Outcome> reverse(Payment payment, DeclineCode code, long timestampMs) {
        AccountBalance source = balances.get(payment.source());
        if (source == null) {
            // Only a debited source is ever reversed, and accounts are never removed: this is a broken invariant.
            throw new IllegalStateException("payment " + payment.id() + ": cannot give back " + payment.amount() + " "
                    + payment.currency() + " to source " + payment.source() + ", which is not in the balance store");
        }
        balances.put(source.accountId(), source.credited(payment.amount()));
        if (payment.kind() == PaymentKind.DEPOSIT) {
            treasury.returned(payment, timestampMs);
        } else if (payment.kind() == PaymentKind.PAYMENT) {
            fraudMemory.recordDecline(payment.source(), timestampMs);
        }
        return List.of(new PaymentEventEmitted(
                PaymentEvents.failed(payment, code, PaymentEvents.AFTER_INITIATED, Instant.ofEpochMilli(timestampMs))));
    }

    /**
     * Why {@code account} cannot take part in {@code payment}, if it cannot. Another merchant's
     * account answers {@code account_not_found}, exactly like a missing one, so a merchant cannot
     * learn which account ids exist.
     */
    static Optional<DeclineCode> refusal(AccountBalance account, Payment payment) {
        return account == null
                ? Optional.of(DeclineCode.ACCOUNT_NOT_FOUND)
                : refusal(account.merchantId(), account.currency(), payment);
    }

    private static Optional<DeclineCode> refusal(AccountFacts account, Payment payment) {
        return refusal(account.merchantId(), account.currency(), payment);
    }

    private static Optional<DeclineCode> refusal(String owner, String currency, Payment payment) {
        if (!owner.equals(payment.merchantId())) {
            return Optional.of(DeclineCode.ACCOUNT_NOT_FOUND);
        }
        if (!currency.equals(payment.currency())) {
            return Optional.of(DeclineCode.CURRENCY_MISMATCH);
        }
        return Optional.empty();
    }
}
