package dev.kassa.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A payment's state as carried by each event on {@code payments.events}: the state after that event.
 * Deposits are payments of kind {@code deposit} whose source is the currency's external account.
 * {@code requestFingerprint} is the fingerprint of the request that created it (see
 * {@link Command#requestFingerprint()}), null for payments from before fingerprints.
 */
public record Payment(
        String id,
        String merchantId,
        String idempotencyKey,
        String requestFingerprint,
        PaymentKind kind,
        PaymentStatus status,
        long amount,
        String currency,
        String source,
        String destination,
        long amountRefunded,
        String description,
        Map<String, String> metadata,
        FraudAssessment fraud,
        DeclineCode failureCode,
        Instant created) {

    public Payment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(merchantId, "merchantId");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(created, "created");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        fraud = fraud == null ? FraudAssessment.ALLOWED : fraud;
        if (status == PaymentStatus.FAILED && failureCode == null) {
            throw new IllegalArgumentException("failed payment " + id + " needs a failure code");
        }
    }

    /**
     * The account whose task decides this payment, as {@link CreatePayment#routingKey()} names it: its
     * source (a deposit's, the currency's external account, whose task is the currency's treasury): its
     * events are written to that account's partition of {@code payments.events}, in the transaction of
     * the task that owns it.
     */
    public String decidingAccount() {
        return decidingAccount(kind, source, destination);
    }

    /**
     * The one rule of where a payment of {@code kind} is decided, for a payment and for its command
     * alike: at its source. A deposit is decided at its currency's external account (the treasury
     * task), which holds the supply cap and the merchants' deposit limits (docs/architecture.md).
     */
    static String decidingAccount(PaymentKind kind, String source, String destination) {
        return source;
    }

    /**
     * Where the release before the treasury task decided a payment of {@code kind}: a deposit at the
     * account it credits. Its commands may still be on {@code payments.commands} after an upgrade.
     */
    public static String earlierDecidingAccount(PaymentKind kind, String source, String destination) {
        return kind == PaymentKind.DEPOSIT ? destination : source;
    }

    /** The pending payment a command asks for, before the topology has decided anything. */
    public static Payment pending(CreatePayment command) {
        return new Payment(command.paymentId(), command.merchantId(), command.idempotencyKey(),
                command.requestFingerprint(), command.kind(),
                PaymentStatus.PENDING, command.amount(), command.currency(), command.source(), command.destination(),
                0, command.description(), command.metadata(), FraudAssessment.ALLOWED, null, command.requestedAt());
    }

    public Payment withFraud(FraudAssessment assessment) {
        return new Payment(id, merchantId, idempotencyKey, requestFingerprint, kind, status, amount, currency, source, destination,
                amountRefunded, description, metadata, assessment, failureCode, created);
    }

    public Payment completed() {
        return new Payment(id, merchantId, idempotencyKey, requestFingerprint, kind, PaymentStatus.COMPLETED, amount, currency, source,
                destination, amountRefunded, description, metadata, fraud, null, created);
    }

    /**
     * The payment after a refund of {@code amount} completed: {@code refunded} once nothing is left,
     * else {@code partially_refunded}.
     */
    public Payment refunded(long amount) {
        long total = Math.addExact(amountRefunded, amount);
        if (amount < 1 || total > this.amount) {
            throw new IllegalArgumentException("payment " + id + " of " + this.amount + " cannot have " + total
                    + " refunded");
        }
        PaymentStatus after = total == this.amount ? PaymentStatus.REFUNDED : PaymentStatus.PARTIALLY_REFUNDED;
        return new Payment(id, merchantId, idempotencyKey, requestFingerprint, kind, after, this.amount, currency, source,
                destination, total, description, metadata, fraud, null, created);
    }

    public Payment failed(DeclineCode code) {
        return new Payment(id, merchantId, idempotencyKey, requestFingerprint, kind, PaymentStatus.FAILED, amount, currency, source,
                destination, amountRefunded, description, metadata, fraud, Objects.requireNonNull(code, "code"), created);
    }
}
