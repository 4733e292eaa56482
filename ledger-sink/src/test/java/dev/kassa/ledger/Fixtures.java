package dev.kassa.ledger;

import dev.kassa.model.Account;
import dev.kassa.model.AccountEvent;
import dev.kassa.model.CreatePayment;
import dev.kassa.model.CreateRefund;
import dev.kassa.model.DeclineCode;
import dev.kassa.model.Ids;
import dev.kassa.model.LedgerEntry;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentEvent;
import dev.kassa.model.PaymentEventType;
import dev.kassa.model.PaymentKind;
import dev.kassa.model.Refund;
import dev.kassa.model.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;

/** Builds events as the topology would emit them, and batches of them as the sink would read them. */
public final class Fixtures {

    public static final TopicPartition ACCOUNTS_0 = new TopicPartition(Topics.ACCOUNTS_EVENTS.name(), 0);
    public static final TopicPartition PAYMENTS_0 = new TopicPartition(Topics.PAYMENTS_EVENTS.name(), 0);
    public static final TopicPartition PAYMENTS_1 = new TopicPartition(Topics.PAYMENTS_EVENTS.name(), 1);

    public static final String MERCHANT = "mer_0123456789abcdef0123456789abcdef";

    private Fixtures() {
    }

    public static AccountEvent accountOpened(String accountId, String currency, Instant at) {
        return AccountEvent.opened(new Account(accountId, MERCHANT, currency, false, at), at);
    }

    public static String accountId(Instant at) {
        return Ids.next(Ids.ACCOUNT, at);
    }

    /** A pending payment as the API would create it. */
    public static Payment pending(PaymentKind kind, long amount, String currency, String source, String destination,
                                  Instant at) {
        String paymentId = Ids.next(Ids.PAYMENT, at);
        return Payment.pending(new CreatePayment(paymentId, MERCHANT, "key-" + paymentId, kind, amount, currency,
                source, destination, "test " + kind, Map.of("order", "o-1"), at, "fp-" + paymentId));
    }

    /**
     * The initiation of {@code pending}, sequence 1: what the topology publishes only for a payment
     * that takes the long way, and earlier releases for every payment, before its outcome at 2.
     */
    public static PaymentEvent initiated(Payment pending, Instant at) {
        return PaymentEvent.of(PaymentEventType.PaymentInitiated, 1, at, pending, List.of());
    }

    /** The completion of {@code pending} after its initiation, sequence 2: source debited, destination credited. */
    public static PaymentEvent completed(Payment pending, Instant at) {
        return completed(pending, 2, at);
    }

    /**
     * The completion of {@code pending} decided in the transaction that took its command: its one
     * event, sequence 1 (docs/events.md, "Ordering").
     */
    public static PaymentEvent completedAtOnce(Payment pending, Instant at) {
        return completed(pending, 1, at);
    }

    private static PaymentEvent completed(Payment pending, long sequence, Instant at) {
        List<LedgerEntry> entries = List.of(
                new LedgerEntry(pending.source(), -pending.amount(), pending.currency()),
                new LedgerEntry(pending.destination(), pending.amount(), pending.currency()));
        return PaymentEvent.of(PaymentEventType.PaymentCompleted, sequence, at, pending.completed(), entries);
    }

    public static PaymentEvent failed(Payment pending, DeclineCode code, Instant at) {
        return PaymentEvent.of(PaymentEventType.PaymentFailed, 2, at, pending.failed(code), List.of());
    }

    /**
     * The two events of a refund of {@code amount} of {@code completed} (the payment after its last
     * event), numbered from {@code sequence}: requested, then completed (destination back to source)
     * or, with a {@code failure}, failed.
     */
    public static List<PaymentEvent> refund(Payment completed, long amount, long sequence, DeclineCode failure,
                                            Instant at) {
        String refundId = Ids.next(Ids.REFUND, at);
        Refund pending = Refund.requested(new CreateRefund(refundId, completed.id(), completed.merchantId(),
                "key-" + refundId, amount, completed.destination(), at, "fp-" + refundId), amount, completed.currency());
        PaymentEvent requested = PaymentEvent.ofRefund(PaymentEventType.RefundRequested, sequence, at, completed,
                List.of(), pending);
        if (failure != null) {
            return List.of(requested, PaymentEvent.ofRefund(PaymentEventType.RefundFailed, sequence + 1, at, completed,
                    List.of(), pending.failed(failure)));
        }
        List<LedgerEntry> entries = List.of(
                new LedgerEntry(completed.destination(), -amount, completed.currency()),
                new LedgerEntry(completed.source(), amount, completed.currency()));
        return List.of(requested, PaymentEvent.ofRefund(PaymentEventType.RefundCompleted, sequence + 1, at,
                completed.refunded(amount), entries, pending.completed()));
    }

    /** A completion whose entries do not sum to zero: the credit is one minor unit larger than the debit. */
    public static PaymentEvent unbalancedCompletion(Payment pending, Instant at) {
        List<LedgerEntry> entries = List.of(
                new LedgerEntry(pending.source(), -pending.amount(), pending.currency()),
                new LedgerEntry(pending.destination(), pending.amount() + 1, pending.currency()));
        return PaymentEvent.of(PaymentEventType.PaymentCompleted, 2, at, pending.completed(), entries);
    }

    /**
     * Assigns consecutive offsets from {@code firstOffsets} (per partition, 0 when absent) to events
     * in order: account events on {@link #ACCOUNTS_0}, payment events on {@link #PAYMENTS_0}.
     */
    public static List<LedgerRecord> records(Map<TopicPartition, Long> firstOffsets, Object... events) {
        Map<TopicPartition, Long> next = new HashMap<>(firstOffsets);
        List<LedgerRecord> records = new ArrayList<>();
        for (Object event : events) {
            if (event instanceof AccountEvent account) {
                records.add(new AccountEventRecord(ACCOUNTS_0, take(next, ACCOUNTS_0), account));
            } else if (event instanceof PaymentEvent payment) {
                records.add(new PaymentEventRecord(PAYMENTS_0, take(next, PAYMENTS_0), payment));
            } else {
                throw new IllegalArgumentException("not an event: " + event);
            }
        }
        return records;
    }

    /** Stored offsets of a database the sink never wrote to. */
    public static Map<TopicPartition, OptionalLong> nothingStored() {
        return Map.of(ACCOUNTS_0, OptionalLong.empty(), PAYMENTS_0, OptionalLong.empty(),
                PAYMENTS_1, OptionalLong.empty());
    }

    private static long take(Map<TopicPartition, Long> next, TopicPartition partition) {
        long offset = next.getOrDefault(partition, 0L);
        next.put(partition, offset + 1);
        return offset;
    }
}
