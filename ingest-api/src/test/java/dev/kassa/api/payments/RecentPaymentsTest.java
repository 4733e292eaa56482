package dev.kassa.api.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.model.CreatePayment;
import dev.kassa.model.DeclineCode;
import dev.kassa.model.Ids;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentKind;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RecentPaymentsTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    private final RecentPayments recent = new RecentPayments();
    private final AtomicInteger catchUps = new AtomicInteger();

    @Test
    void theLedgerWinsOnceItHasThePaymentDecided() {
        Payment pending = pending(NOW);
        Payment completedInLedger = pending.completed();
        recent.decided(pending.failed(DeclineCode.INSUFFICIENT_FUNDS));

        assertThat(read(pending, Optional.of(completedInLedger))).contains(completedInLedger);
        assertThat(catchUps).hasValue(0);
    }

    @Test
    void aPaymentDecidedHereButNotYetInTheLedgerIsReadFromHere() {
        Payment pending = pending(NOW);
        recent.decided(pending.completed());

        assertThat(read(pending, Optional.empty())).contains(pending.completed());
        assertThat(read(pending, Optional.of(pending))).contains(pending.completed());
        assertThat(catchUps).hasValue(0);
    }

    @Test
    void aRecentPaymentUnknownHereWaitsForTheListenerToCatchUpThenLooksAgain() {
        Payment pending = pending(NOW.minusSeconds(10));

        Optional<Payment> found = recent.read("mer_1", pending.id(), Optional::empty, () -> {
            catchUps.incrementAndGet();
            recent.decided(pending.completed()); // what the listener reads while catching up
            return true;
        }, NOW);

        assertThat(found).contains(pending.completed());
        assertThat(catchUps).hasValue(1);
    }

    @Test
    void anOldPaymentOrAnotherMerchantsIsNeverWaitedFor() {
        Payment old = pending(NOW.minus(RecentPayments.TTL).minusSeconds(1));
        Payment othersRecent = pending(NOW);
        recent.decided(othersRecent.completed());

        assertThat(read(old, Optional.empty())).isEmpty();
        assertThat(catchUps).hasValue(0);
        assertThat(recent.read("mer_2", othersRecent.id(), Optional::empty, () -> true, NOW)).isEmpty();
    }

    private Optional<Payment> read(Payment payment, Optional<Payment> ledger) {
        return recent.read("mer_1", payment.id(), () -> ledger, () -> {
            catchUps.incrementAndGet();
            return false;
        }, NOW);
    }

    private static Payment pending(Instant created) {
        return Payment.pending(new CreatePayment(Ids.next(Ids.PAYMENT, created), "mer_1", "key", PaymentKind.PAYMENT, 100,
                "usd", Ids.next(Ids.ACCOUNT), Ids.next(Ids.ACCOUNT), null, Map.of(), created, null));
    }
}
