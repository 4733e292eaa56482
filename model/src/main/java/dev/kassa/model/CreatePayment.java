package dev.kassa.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Moves {@code amount} minor units of {@code currency} from {@code source} to {@code destination}.
 * A deposit is the same command with the currency's external account as source; a card payment the
 * same with the currency's card clearing account as source and the {@code cardToken} to charge at
 * the card processor (null for every other kind). The payment id is
 * assigned by the API before publishing, so every retry of one request names the same payment.
 */
public record CreatePayment(
        String paymentId,
        String merchantId,
        String idempotencyKey,
        PaymentKind kind,
        long amount,
        String currency,
        String source,
        String destination,
        String description,
        Map<String, String> metadata,
        Instant requestedAt,
        String requestFingerprint,
        String cardToken) implements Command {

    public CreatePayment {
        Objects.requireNonNull(paymentId, "paymentId");
        Objects.requireNonNull(merchantId, "merchantId");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(requestedAt, "requestedAt");
        new Money(amount, currency); // fails fast on an out-of-bounds amount or a non-canonical currency
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        if ((kind == PaymentKind.CARD) != (cardToken != null)) {
            throw new IllegalArgumentException("payment " + paymentId + " of kind " + kind
                    + (cardToken == null ? " needs" : " cannot carry") + " a card token");
        }
    }

    /** A payment or a deposit, which charges no card. */
    public CreatePayment(String paymentId, String merchantId, String idempotencyKey, PaymentKind kind, long amount,
                         String currency, String source, String destination, String description,
                         Map<String, String> metadata, Instant requestedAt, String requestFingerprint) {
        this(paymentId, merchantId, idempotencyKey, kind, amount, currency, source, destination, description, metadata,
                requestedAt, requestFingerprint, null);
    }

    /**
     * A payment is decided at its source; a deposit at its source too, the currency's external
     * account, whose task (the treasury) holds the supply cap and the deposit limits.
     */
    @Override
    @JsonIgnore
    public String routingKey() {
        return Payment.decidingAccount(kind, source, destination);
    }

    /** The money this command moves. */
    public Money money() {
        return new Money(amount, currency);
    }
}
