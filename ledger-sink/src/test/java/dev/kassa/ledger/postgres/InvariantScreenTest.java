package dev.kassa.ledger.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.ledger.DeadLetterRecord;
import dev.kassa.ledger.Fixtures;
import dev.kassa.ledger.LedgerRecord;
import dev.kassa.ledger.PaymentEventRecord;
import dev.kassa.model.LedgerEntry;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentEvent;
import dev.kassa.model.PaymentEventType;
import dev.kassa.model.PaymentKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InvariantScreenTest {

    private static final Instant CREATED = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant COMPLETED = Instant.parse("2026-03-01T10:00:01Z");

    private final String alice = Fixtures.accountId(CREATED);
    private final String bob = Fixtures.accountId(CREATED);
    private final Payment payment = Fixtures.pending(PaymentKind.PAYMENT, 500, "usd", alice, bob, CREATED);

    @Test
    void unbalancedEventBecomesADeadLetterWithItsOriginalBytesAndTheOthersStay() {
        // The raw value is what was read, not a re-encoding: the dead letter must keep exactly it.
        PaymentEvent unbalanced = Fixtures.unbalancedCompletion(payment, COMPLETED);
        byte[] key = payment.id().getBytes(StandardCharsets.UTF_8);
        byte[] value = "{\"as\": \"read from the log\"}".getBytes(StandardCharsets.UTF_8);
        LedgerRecord initiated = new PaymentEventRecord(Fixtures.PAYMENTS_0, 6, Fixtures.initiated(payment, CREATED));
        LedgerRecord poison = new PaymentEventRecord(Fixtures.PAYMENTS_0, 7, unbalanced, key, value);

        List<LedgerRecord> screened = InvariantScreen.screen(List.of(initiated, poison));

        assertThat(screened.get(0)).isSameAs(initiated);
        assertThat(screened.get(1)).isEqualTo(new DeadLetterRecord(Fixtures.PAYMENTS_0, 7,
                "ledger transaction " + unbalanced.eventId() + " does not sum to zero in usd: +1", key, value));
    }

    @Test
    void balancedEventsAndEventsWithoutEntriesPassUnchanged() {
        List<LedgerRecord> records = Fixtures.records(Map.of(), Fixtures.accountOpened(alice, "usd", CREATED),
                Fixtures.initiated(payment, CREATED), Fixtures.completed(payment, COMPLETED));

        assertThat(InvariantScreen.screen(records)).isEqualTo(records);
    }

    @Test
    void theReasonNamesTheUnbalancedCurrencyWithItsSignedSum() {
        PaymentEvent shortCredit = completion(List.of(new LedgerEntry(alice, -500, "usd"),
                new LedgerEntry(bob, 497, "usd")));

        assertThat(InvariantScreen.violation(shortCredit)).contains(
                "ledger transaction " + shortCredit.eventId() + " does not sum to zero in usd: -3");
    }

    @Test
    void entriesInAnotherCurrencyThanThePaymentsAreAViolation() {
        PaymentEvent foreign = completion(List.of(new LedgerEntry(alice, -500, "eur"), new LedgerEntry(bob, 500, "eur")));

        assertThat(InvariantScreen.violation(foreign)).hasValueSatisfying(reason ->
                assertThat(reason).contains(foreign.eventId()).contains("books eur").contains("in usd"));
    }

    @Test
    void completionBookingNothingIsAViolation() {
        assertThat(InvariantScreen.violation(completion(List.of())))
                .hasValueSatisfying(reason -> assertThat(reason).contains("books no entries"));
    }

    @Test
    void sumsThatOverflowAreAViolationNotAnException() {
        PaymentEvent overflowing = completion(List.of(new LedgerEntry(alice, Long.MAX_VALUE, "usd"),
                new LedgerEntry(bob, 1, "usd")));

        assertThat(InvariantScreen.violation(overflowing))
                .hasValueSatisfying(reason -> assertThat(reason).contains("overflows"));
    }

    @Test
    void theSameEventIsAlwaysClassifiedTheSame() {
        // A retried batch must set aside exactly what the first attempt did.
        List<LedgerRecord> records = Fixtures.records(Map.of(), Fixtures.initiated(payment, CREATED),
                Fixtures.unbalancedCompletion(payment, COMPLETED));

        assertThat(InvariantScreen.screen(records)).isEqualTo(InvariantScreen.screen(records));
    }

    private PaymentEvent completion(List<LedgerEntry> entries) {
        return PaymentEvent.of(PaymentEventType.PaymentCompleted, 2, COMPLETED, payment.completed(), entries);
    }
}
