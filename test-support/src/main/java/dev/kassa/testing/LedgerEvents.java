package dev.kassa.testing;

import dev.kassa.model.Account;
import dev.kassa.model.AccountEvent;
import dev.kassa.model.CreatePayment;
import dev.kassa.model.Ids;
import dev.kassa.model.LedgerEntry;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentEvent;
import dev.kassa.model.PaymentEventType;
import dev.kassa.model.PaymentKind;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * Events as the topology emits them, for feeding the ledger sink directly (the crash tests, LedgerSinkOnBrokerIT): accounts opened, and
 * payments and deposits in USD, each decided in the transaction that took it and so published once,
 * by its completion at sequence 1; or, for a payment that takes the long way, its initiation at 1
 * and its completion at 2. Every factory call makes new ids.
 */
public final class LedgerEvents {

    public static final String MERCHANT = "mer_0123456789abcdef0123456789abcdef";
    public static final String CURRENCY = "usd";
    public static final String EXTERNAL = Ids.externalAccount(CURRENCY);

    private LedgerEvents() {
    }

    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    public static String newAccountId() {
        return Ids.next(Ids.ACCOUNT, now());
    }

    public static AccountEvent opened(String accountId) {
        Instant at = now();
        return AccountEvent.opened(new Account(accountId, MERCHANT, CURRENCY, false, at), at);
    }

    /** A deposit into {@code accountId}: money from the external account. */
    public static Payment deposit(String accountId, long amount) {
        return pending(PaymentKind.DEPOSIT, EXTERNAL, accountId, amount);
    }

    public static Payment payment(String source, String destination, long amount) {
        return pending(PaymentKind.PAYMENT, source, destination, amount);
    }

    /** The initiation of a payment that takes the long way: its first event, before its outcome at 2. */
    public static PaymentEvent initiated(Payment pending) {
        return PaymentEvent.of(PaymentEventType.PaymentInitiated, 1, now(), pending, List.of());
    }

    /**
     * The completion of {@code pending}, decided at once: its source debited, its destination
     * credited, in its one event.
     */
    public static PaymentEvent completed(Payment pending) {
        List<LedgerEntry> entries = List.of(
                new LedgerEntry(pending.source(), -pending.amount(), pending.currency()),
                new LedgerEntry(pending.destination(), pending.amount(), pending.currency()));
        return PaymentEvent.of(PaymentEventType.PaymentCompleted, 1, now(), pending.completed(), entries);
    }

    private static Payment pending(PaymentKind kind, String source, String destination, long amount) {
        Instant at = now();
        String paymentId = Ids.next(Ids.PAYMENT, at);
        return Payment.pending(new CreatePayment(paymentId, MERCHANT, "key-" + paymentId, kind, amount, CURRENCY,
                source, destination, "sink on broker " + kind, Map.of(), at, null));
    }
}
