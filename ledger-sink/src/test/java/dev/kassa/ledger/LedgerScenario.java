package dev.kassa.ledger;

import dev.kassa.model.AccountEvent;
import dev.kassa.model.DeclineCode;
import dev.kassa.model.Ids;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentEvent;
import dev.kassa.model.PaymentKind;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * The ledger's reference day, as events: two accounts opened, a deposit into Alice's, a payment
 * from Alice to Bob, and a payment Alice cannot afford. {@link #expectedBalances()} is the oracle,
 * computed by hand from the amounts rather than by the code under test.
 */
public final class LedgerScenario {

    public static final long DEPOSIT = 10_000;
    public static final long PAYMENT = 2_500;
    public static final long TOO_MUCH = 1_000_000;

    public final Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    public final String alice = Fixtures.accountId(at);
    public final String bob = Fixtures.accountId(at);
    public final String external = Ids.externalAccount("usd");

    public final AccountEvent aliceOpened = Fixtures.accountOpened(alice, "usd", at);
    public final AccountEvent bobOpened = Fixtures.accountOpened(bob, "usd", at);
    public final Payment deposit = Fixtures.pending(PaymentKind.DEPOSIT, DEPOSIT, "usd", external, alice, at);
    public final Payment payment = Fixtures.pending(PaymentKind.PAYMENT, PAYMENT, "usd", alice, bob, at);
    public final Payment refused = Fixtures.pending(PaymentKind.PAYMENT, TOO_MUCH, "usd", alice, bob, at);
    public final PaymentEvent depositInitiated = Fixtures.initiated(deposit, at.plusMillis(1));
    public final PaymentEvent paymentInitiated = Fixtures.initiated(payment, at.plusMillis(2));
    public final PaymentEvent refusedInitiated = Fixtures.initiated(refused, at.plusMillis(3));
    public final PaymentEvent depositCompleted = Fixtures.completed(deposit, at.plusMillis(5));
    public final PaymentEvent paymentCompleted = Fixtures.completed(payment, at.plusMillis(6));
    public final PaymentEvent refusedFailed = Fixtures.failed(refused, DeclineCode.INSUFFICIENT_FUNDS, at.plusMillis(7));

    /** Every event, in the order the topology would emit them; the same instances on every call. */
    public Object[] events() {
        return new Object[] {aliceOpened, bobOpened, depositInitiated, depositCompleted, paymentInitiated,
                paymentCompleted, refusedInitiated, refusedFailed};
    }

    /** The records of {@link #events()} from offset 0 of each partition. */
    public List<LedgerRecord> records() {
        return Fixtures.records(Map.of(), events());
    }

    public Map<String, String> expectedBalances() {
        return Map.of(alice, Long.toString(DEPOSIT - PAYMENT), bob, Long.toString(PAYMENT),
                external, Long.toString(-DEPOSIT));
    }
}
