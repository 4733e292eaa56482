package dev.kassa.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One event on {@code payments.events}, keyed by payment id. {@code sequence} counts the events of one
 * payment from 1 without gaps, {@code payment} is the payment's state after the event, and
 * {@code entries} are the ledger legs the event books (empty unless money moved). A consumer that
 * reads {@code read_committed} sees each event exactly once, in sequence order per payment.
 * {@code refund} is the refund a {@code Refund*} event is about, in its state after the event, and
 * null on the payment's own events. docs/events.md documents every field; a change to the JSON
 * shape changes {@link #SCHEMA_VERSION} and that page together (EventSchemaTest checks it).
 */
public record PaymentEvent(
        int schemaVersion,
        String eventId,
        PaymentEventType type,
        String paymentId,
        String merchantId,
        long sequence,
        Instant occurredAt,
        Payment payment,
        List<LedgerEntry> entries,
        Refund refund) {

    /** Bumped whenever the JSON shape of an event changes: 2 added {@code refund}. */
    public static final int SCHEMA_VERSION = 2;

    public PaymentEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(paymentId, "paymentId");
        Objects.requireNonNull(merchantId, "merchantId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(payment, "payment");
        if (sequence < 1) {
            throw new IllegalArgumentException("event sequence of payment " + paymentId + " starts at 1: " + sequence);
        }
        entries = entries == null ? List.of() : List.copyOf(entries);
        boolean refundEvent = type == PaymentEventType.RefundRequested || type == PaymentEventType.RefundCompleted
                || type == PaymentEventType.RefundFailed;
        if (refundEvent != (refund != null)) {
            throw new IllegalArgumentException("event " + eventId + " of type " + type + " of payment " + paymentId
                    + (refundEvent ? " needs" : " cannot carry") + " a refund");
        }
        if (refund != null && !refund.paymentId().equals(paymentId)) {
            throw new IllegalArgumentException("event " + eventId + " of payment " + paymentId
                    + " carries refund " + refund.id() + " of payment " + refund.paymentId());
        }
    }

    /**
     * An event of the current schema version about {@code payment}. Its id is derived from the payment
     * id, its creation time and the sequence, so the same event always has the same id, whenever it is
     * produced.
     */
    public static PaymentEvent of(PaymentEventType type, long sequence, Instant occurredAt, Payment payment,
                                  List<LedgerEntry> entries) {
        return new PaymentEvent(SCHEMA_VERSION, Ids.derived(Ids.EVENT, payment.created(), payment.id() + ":" + sequence), type, payment.id(),
                payment.merchantId(), sequence, occurredAt, payment, entries, null);
    }

    /** A refund event of the current schema version about {@code refund} of {@code payment}; ids as in {@link #of}. */
    public static PaymentEvent ofRefund(PaymentEventType type, long sequence, Instant occurredAt, Payment payment,
                                        List<LedgerEntry> entries, Refund refund) {
        return new PaymentEvent(SCHEMA_VERSION, Ids.derived(Ids.EVENT, payment.created(), payment.id() + ":" + sequence), type, payment.id(),
                payment.merchantId(), sequence, occurredAt, payment, entries, refund);
    }
}
