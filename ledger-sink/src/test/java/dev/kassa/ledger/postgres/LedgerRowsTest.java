package dev.kassa.ledger.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.ledger.Fixtures;
import dev.kassa.ledger.LedgerRecord;
import dev.kassa.ledger.postgres.LedgerRows.AccountRow;
import dev.kassa.ledger.postgres.LedgerRows.EntryRow;
import dev.kassa.ledger.postgres.LedgerRows.PaymentRow;
import dev.kassa.model.DeclineCode;
import dev.kassa.model.Ids;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentEvent;
import dev.kassa.model.PaymentKind;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LedgerRowsTest {

    private static final Instant CREATED = Instant.parse("2026-03-01T23:59:59.999Z");
    private static final Instant COMPLETED = Instant.parse("2026-03-02T00:00:00.001Z");

    private final String alice = Fixtures.accountId(CREATED);
    private final String bob = Fixtures.accountId(CREATED);

    @Test
    void partitionKeysAreUtcDatesOfCreationAndOfTheEvent() {
        // A payment created just before midnight UTC and completed just after: its row belongs to the
        // day it was created, its entries to the day they were booked, whatever the JVM's time zone.
        Payment payment = Fixtures.pending(PaymentKind.PAYMENT, 500, "usd", alice, bob, CREATED);

        LedgerRows rows = LedgerRows.of(records(Fixtures.completed(payment, COMPLETED)));

        assertThat(rows.payments()).singleElement().extracting(PaymentRow::createdOn)
                .isEqualTo(LocalDate.of(2026, 3, 1));
        assertThat(rows.entries()).extracting(EntryRow::bookedOn).containsOnly(LocalDate.of(2026, 3, 2));
        assertThat(LedgerRows.utcDate(Instant.parse("2026-12-31T23:30:00-05:00"))).isEqualTo(LocalDate.of(2027, 1, 1));
    }

    @Test
    void completedPaymentBooksOneEntryPerLegOnTheEventsTransaction() {
        Payment payment = Fixtures.pending(PaymentKind.PAYMENT, 500, "usd", alice, bob, CREATED);
        PaymentEvent completed = Fixtures.completed(payment, COMPLETED);

        LedgerRows rows = LedgerRows.of(records(completed));

        assertThat(rows.entries()).containsExactly(
                new EntryRow(completed.eventId(), 0, LocalDate.of(2026, 3, 2), payment.id(), alice, -500, "usd", COMPLETED),
                new EntryRow(completed.eventId(), 1, LocalDate.of(2026, 3, 2), payment.id(), bob, 500, "usd", COMPLETED));
        assertThat(rows.balanceDeltas()).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of(alice, -500L, bob, 500L)));
        assertThat(rows.accounts()).isEmpty();
    }

    @Test
    void onlyAPaymentsFirstEventWritesItsIdempotencyKey() {
        // The key goes with the payment's first row; a batch holding only its completion leaves it alone.
        Payment first = Fixtures.pending(PaymentKind.PAYMENT, 500, "usd", alice, bob, CREATED);
        Payment second = Fixtures.pending(PaymentKind.PAYMENT, 700, "usd", alice, bob, CREATED);

        LedgerRows rows = LedgerRows.of(records(Fixtures.initiated(first, CREATED), Fixtures.completed(first, COMPLETED),
                Fixtures.completed(second, COMPLETED)));

        assertThat(rows.keys()).containsExactly(new LedgerRows.KeyRow(Fixtures.MERCHANT, first.idempotencyKey(),
                first.id(), first.requestFingerprint(), CREATED));
        assertThat(first.requestFingerprint()).isNotNull();
    }

    @Test
    void paymentRowCarriesTheStateOfItsNewestEventInTheBatch() {
        Payment payment = Fixtures.pending(PaymentKind.PAYMENT, 500, "usd", alice, bob, CREATED);
        PaymentEvent failed = Fixtures.failed(payment, DeclineCode.INSUFFICIENT_FUNDS, COMPLETED);

        // The newer event first: order in the batch must not matter, the sequence decides.
        LedgerRows rows = LedgerRows.of(records(failed, Fixtures.initiated(payment, CREATED)));

        PaymentRow row = rows.payments().get(0);
        assertThat(rows.payments()).hasSize(1);
        assertThat(row.status()).isEqualTo("failed");
        assertThat(row.failureCode()).isEqualTo("insufficient_funds");
        assertThat(row.lastEventSequence()).isEqualTo(2);
        assertThat(row.updated()).isEqualTo(COMPLETED);
        assertThat(row.kind()).isEqualTo("payment");
        assertThat(row.metadataJson()).isEqualTo("{\"order\":\"o-1\"}");
        assertThat(row.fraudJson()).contains("\"decision\":\"allow\"");
        assertThat(rows.entries()).isEmpty();
    }

    @Test
    void depositOpensTheExternalAccountOnFirstUseAllowedNegative() {
        String external = Ids.externalAccount("jpy");
        Payment deposit = Fixtures.pending(PaymentKind.DEPOSIT, 1000, "jpy", external, alice, CREATED);

        LedgerRows rows = LedgerRows.of(records(Fixtures.completed(deposit, COMPLETED),
                Fixtures.completed(Fixtures.pending(PaymentKind.DEPOSIT, 5, "jpy", external, bob, CREATED), COMPLETED)));

        assertThat(rows.accounts()).containsExactly(
                new AccountRow(external, LedgerRows.PLATFORM_MERCHANT, "jpy", true, COMPLETED));
        assertThat(rows.balanceDeltas()).containsEntry(external, -1005L).containsEntry(alice, 1000L).containsEntry(bob, 5L);
        // Sorted by account id, so that every writer locks account rows in one order.
        assertThat(List.copyOf(rows.balanceDeltas().keySet())).isSorted();
    }

    @Test
    void accountOpenedBecomesAnAccountRowWithZeroBalance() {
        LedgerRows rows = LedgerRows.of(records(Fixtures.accountOpened(alice, "kwd", CREATED)));

        assertThat(rows.accounts()).containsExactly(new AccountRow(alice, Fixtures.MERCHANT, "kwd", false, CREATED));
        assertThat(rows.balanceDeltas()).isEmpty();
    }

    private static List<LedgerRecord> records(Object... events) {
        return Fixtures.records(Map.of(), events);
    }
}
