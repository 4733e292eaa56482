package dev.kassa.topology.card;

import dev.kassa.model.CardCharge;
import dev.kassa.model.CardChargeResult;
import dev.kassa.model.Payment;
import dev.kassa.model.Refund;
import dev.kassa.topology.retention.BoundedPurge;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The card clearing account of a currency and its card payments, as that account's task keeps them:
 * the task asks the processor for every charge of the currency (through {@code card.charges} and the
 * connector, never itself over the network) and takes every answer. A payment leaves
 * {@code processing} once, at its first answer, in the transaction that books or fails it; every
 * later answer for it (the connector may publish one again after a crash) is dropped, so the merchant
 * is credited once (docs/architecture.md, Card payments).
 */
public final class CardClearing {

    private static final Logger LOG = LoggerFactory.getLogger(CardClearing.class);

    private final KeyValueStore<String, CardPayment> payments;
    private final BoundedPurge<CardPayment> purge = new BoundedPurge<>(BoundedPurge.ENTRIES_MAX, CardPayments::isExpired);

    public CardClearing(KeyValueStore<String, CardPayment> payments) {
        this.payments = Objects.requireNonNull(payments, "payments");
    }

    /**
     * Keeps {@code payment} as {@code processing} and returns the charge to ask the processor for;
     * empty when this task already holds the payment (the dedupe stage lets each payment through
     * once, so that would be a bug, and asking twice is never right).
     */
    public Optional<CardCharge> request(Payment payment, String cardToken) {
        if (payments.get(payment.id()) != null) {
            LOG.error("card payment {} is already known at {}; not asking for its charge again", payment.id(),
                    payment.source());
            return Optional.empty();
        }
        payments.put(payment.id(), CardPayment.processing(payment));
        return Optional.of(CardCharge.charge(payment, cardToken));
    }

    /**
     * Takes the processor's answer to a payment's charge: the payment as it now stands with the
     * processor, when this is its first answer; empty for an answer already taken, or for a payment
     * this task never asked for, which must book nothing.
     */
    public Optional<CardPayment> answer(CardChargeResult result) {
        CardPayment entry = payments.get(result.paymentId());
        if (entry == null || entry.state() != CardPayment.State.PROCESSING) {
            LOG.info("card payment {}: dropping the processor's answer ({}), the payment is {}", result.paymentId(),
                    result.succeeded() ? "succeeded" : result.declineCode().code(),
                    entry == null ? "unknown here" : entry.state());
            return Optional.empty();
        }
        CardPayment answered = result.succeeded() ? entry.charged(result.processorId()) : entry.declined();
        payments.put(result.paymentId(), answered);
        return Optional.of(answered);
    }

    /**
     * The refund to ask the processor for, once {@code refund} of a card payment was booked (its money
     * is back on this clearing account); empty when this task does not hold the payment as charged.
     */
    public Optional<CardCharge> refund(Refund refund) {
        CardPayment entry = payments.get(refund.paymentId());
        if (entry == null || entry.state() != CardPayment.State.CHARGED) {
            LOG.error("refund {} of card payment {}: the payment is {} here; no refund asked of the processor",
                    refund.id(), refund.paymentId(), entry == null ? "unknown" : entry.state());
            return Optional.empty();
        }
        return Optional.of(CardCharge.refund(entry.payment(), refund, entry.chargeId()));
    }

    /** Deletes answered entries past the refund window, a bounded slice per call; returns how many. */
    public int purge(long streamTimeMs) {
        return purge.purge(payments, streamTimeMs);
    }
}
