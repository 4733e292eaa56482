package dev.kassa.topology.refund;

import dev.kassa.topology.retention.BoundedPurge;
import dev.kassa.model.CreateRefund;
import dev.kassa.model.DeclineCode;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentKind;
import dev.kassa.model.Refund;
import dev.kassa.topology.authorize.AccountBalance;
import dev.kassa.topology.authorize.Leg;
import dev.kassa.topology.authorize.Outcome;
import dev.kassa.topology.authorize.Outcome.LegForwarded;
import dev.kassa.topology.authorize.Outcome.PaymentEventEmitted;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refunds, applied by the authorize processors at the partition of the refunded payment's
 * destination account. Why no refund can ever take more than its payment: the refundable
 * remainder of a payment is one entry of {@code refundable-payments}, held by the one task that owns
 * the destination account; every refund of the payment is keyed by that account and decided there,
 * one record at a time, against the remainder left by the refunds before it. The decision, the
 * debit of the destination, the new remainder and the events are written in one exactly-once
 * transaction, so a crash keeps all of them or none, whatever the keys or the concurrency of the
 * requests.
 */
public final class RefundLedger {

    private static final Logger LOG = LoggerFactory.getLogger(RefundLedger.class);

    private final KeyValueStore<String, AccountBalance> balances;
    private final KeyValueStore<String, RefundablePayment> refundable;
    private final BoundedPurge<RefundablePayment> purge =
            new BoundedPurge<>(BoundedPurge.ENTRIES_MAX, RefundablePayments::isExpired);

    public RefundLedger(KeyValueStore<String, AccountBalance> balances,
                        KeyValueStore<String, RefundablePayment> refundable) {
        this.balances = Objects.requireNonNull(balances, "balances");
        this.refundable = Objects.requireNonNull(refundable, "refundable");
    }

    /** Deletes entries past the refund window, a bounded slice per call; returns how many. */
    public int purge(long streamTimeMs) {
        return purge.purge(refundable, streamTimeMs);
    }

    /**
     * Makes a payment that has just completed refundable, at the destination's partition, where its
     * refund events are numbered on from {@code completedSequence}, the sequence of its
     * {@code PaymentCompleted}. Deposits are not refundable: their money came from outside.
     */
    public void completed(Payment completed, long completedSequence) {
        if (completed.kind() == PaymentKind.PAYMENT || completed.kind() == PaymentKind.CARD) {
            refundable.put(completed.id(), new RefundablePayment(completed, completedSequence + 1));
        }
    }

    /**
     * Decides refund {@code command} at its payment's destination: {@code RefundRequested}, then
     * {@code RefundCompleted} with the destination debited and a credit leg for the source, or
     * {@code RefundFailed} when the amount exceeds what is left or the destination cannot cover it.
     */
    public List<Outcome> refund(CreateRefund command, Instant occurredAt) {
        RefundablePayment entry = refundable.get(command.paymentId());
        if (entry == null || !entry.payment().merchantId().equals(command.merchantId())
                || !entry.payment().destination().equals(command.destination())) {
            // The API only publishes refunds of payments the ledger shows completed, which this task made
            // refundable before it emitted their completion; anything else names no payment of ours.
            LOG.warn("refund {} of merchant {} names payment {} at {}, which is not refundable here; dropping it",
                    command.refundId(), command.merchantId(), command.paymentId(), command.destination());
            return List.of();
        }
        Payment payment = entry.payment();
        long amount = command.amount() != null ? command.amount() : entry.remaining();
        Refund pending = Refund.requested(command, amount, payment.currency());
        long sequence = entry.nextSequence();
        PaymentEventEmitted requested =
                new PaymentEventEmitted(RefundEvents.requested(payment, pending, sequence, occurredAt));
        DeclineCode refusal = refusal(entry, amount);
        if (refusal != null) {
            refundable.put(payment.id(), new RefundablePayment(payment, sequence + 2));
            return List.of(requested, new PaymentEventEmitted(
                    RefundEvents.failed(payment, pending.failed(refusal), sequence + 1, occurredAt)));
        }
        AccountBalance destination = balances.get(payment.destination());
        balances.put(destination.accountId(), destination.debited(amount));
        Payment refunded = payment.refunded(amount);
        Refund completed = pending.completed();
        refundable.put(payment.id(), new RefundablePayment(refunded, sequence + 2));
        return List.of(requested,
                new PaymentEventEmitted(RefundEvents.completed(refunded, completed, sequence + 1, occurredAt)),
                new LegForwarded(new Leg.RefundCredit(completed, payment.source())));
    }

    /**
     * Gives a completed refund's amount back to the payment's source. It cannot fail: accounts are
     * never removed, and the source was debited by the very payment being refunded.
     */
    public List<Outcome> credit(Refund refund, String sourceId) {
        AccountBalance source = balances.get(sourceId);
        if (source == null) {
            throw new IllegalStateException("refund " + refund.id() + " of payment " + refund.paymentId()
                    + ": cannot give back " + refund.amount() + " " + refund.currency() + " to source " + sourceId
                    + ", which is not in the balance store");
        }
        balances.put(sourceId, source.credited(refund.amount()));
        return List.of();
    }

    /** Why a refund of {@code amount} cannot be made now, or null when it can. */
    private DeclineCode refusal(RefundablePayment entry, long amount) {
        if (amount < 1 || amount > entry.remaining()) {
            return DeclineCode.REFUND_EXCEEDS_PAYMENT;
        }
        AccountBalance destination = balances.get(entry.payment().destination());
        if (destination == null) {
            throw new IllegalStateException("payment " + entry.payment().id() + ": its destination "
                    + entry.payment().destination() + " received it but is not in the balance store");
        }
        return destination.covers(amount) ? null : DeclineCode.INSUFFICIENT_FUNDS;
    }
}
