package dev.kassa.ledger.postgres;

import dev.kassa.ledger.DeadLetterRecord;
import dev.kassa.ledger.LedgerRecord;
import dev.kassa.ledger.PaymentEventRecord;
import dev.kassa.model.LedgerEntry;
import dev.kassa.model.PaymentEvent;
import dev.kassa.model.PaymentEventType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Sets aside, before any I/O, the payment events that would break a ledger invariant: entries that do
 * not sum to zero per currency, entries in a currency other than the payment's, a completion (of a
 * payment or a refund) that books nothing. Such an event can never be written, so retrying its batch would stall the partition
 * for good; it becomes a dead letter with its original bytes and the reason instead, and the rest of
 * the batch is written. The decision depends on the event alone, so a retried batch makes the same
 * one. The deferred trigger on {@code ledger_entries} still checks the zero sum again at commit.
 */
final class InvariantScreen {

    private InvariantScreen() {
    }

    /** {@code records} with every payment event that breaks an invariant replaced by its dead letter, in place. */
    static List<LedgerRecord> screen(List<LedgerRecord> records) {
        List<LedgerRecord> screened = new ArrayList<>(records.size());
        for (LedgerRecord record : records) {
            screened.add(record instanceof PaymentEventRecord payment
                    ? violation(payment.event()).<LedgerRecord>map(reason -> deadLetter(payment, reason)).orElse(record)
                    : record);
        }
        return screened;
    }

    /** Why {@code event} would break a ledger invariant, or empty when it can be booked. */
    static Optional<String> violation(PaymentEvent event) {
        String transaction = "ledger transaction " + event.eventId();
        if (event.type() == PaymentEventType.PaymentCompleted && event.entries().isEmpty()) {
            return Optional.of(transaction + " completes payment " + event.paymentId() + " but books no entries");
        }
        if (event.type() == PaymentEventType.RefundCompleted && event.entries().isEmpty()) {
            return Optional.of(transaction + " completes refund " + event.refund().id() + " of payment "
                    + event.paymentId() + " but books no entries");
        }
        for (LedgerEntry entry : event.entries()) {
            if (!entry.currency().equals(event.payment().currency())) {
                return Optional.of(transaction + " books " + entry.currency() + " on account " + entry.accountId()
                        + " for payment " + event.paymentId() + " in " + event.payment().currency());
            }
        }
        return unbalanced(transaction, event.entries());
    }

    /** The first currency (in alphabetical order, so the reason is deterministic) whose entries do not sum to zero. */
    private static Optional<String> unbalanced(String transaction, List<LedgerEntry> entries) {
        Map<String, Long> sums = new TreeMap<>();
        for (LedgerEntry entry : entries) {
            try {
                sums.merge(entry.currency(), entry.amount(), Math::addExact);
            } catch (ArithmeticException e) {
                return Optional.of(transaction + " overflows a 64-bit sum in " + entry.currency());
            }
        }
        return sums.entrySet().stream().filter(sum -> sum.getValue() != 0).findFirst()
                .map(sum -> String.format("%s does not sum to zero in %s: %+d", transaction, sum.getKey(),
                        sum.getValue()));
    }

    private static DeadLetterRecord deadLetter(PaymentEventRecord record, String reason) {
        return new DeadLetterRecord(record.partition(), record.offset(), reason, record.key(), record.value());
    }
}
