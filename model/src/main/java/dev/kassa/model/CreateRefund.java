package dev.kassa.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.Objects;

/**
 * Refunds {@code amount} minor units of completed payment {@code paymentId} back from its
 * destination to its source; a null amount asks for whatever is left. The refund id is assigned by
 * the API before publishing, so every retry of one request names the same refund. The API reads the
 * payment's {@code destination} from the ledger and puts it here, because the refund is decided at
 * the destination's partition, where the payment's refundable remainder lives: the topology routes
 * the refund there without a lookup.
 */
public record CreateRefund(
        String refundId,
        String paymentId,
        String merchantId,
        String idempotencyKey,
        Long amount,
        String destination,
        Instant requestedAt,
        String requestFingerprint) implements Command {

    public CreateRefund {
        Objects.requireNonNull(refundId, "refundId");
        Objects.requireNonNull(paymentId, "paymentId");
        Objects.requireNonNull(merchantId, "merchantId");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(requestedAt, "requestedAt");
        if (amount != null && !Money.isValidAmount(amount)) {
            throw new IllegalArgumentException("refund " + refundId + ": amount must be between 1 and "
                    + Money.AMOUNT_MAX + " minor units: " + amount);
        }
    }

    /** Decided at the payment's destination, where its refundable remainder and the balance it is taken from live. */
    @Override
    @JsonIgnore
    public String routingKey() {
        return destination;
    }
}
