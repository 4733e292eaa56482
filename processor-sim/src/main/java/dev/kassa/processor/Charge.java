package dev.kassa.processor;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;

/**
 * A charge as a card processor reports it (docs/processor-sim.md): the amount in minor units of
 * {@code currency}, the card token it was made on, the gateway's {@code reference}, its status, the
 * reason of a decline and the processor's fee in the same minor units. Immutable: a refund is a
 * {@link Refund} of its own, the charge does not change.
 */
public record Charge(
        String id,
        String object,
        long amount,
        String currency,
        String cardToken,
        String reference,
        Status status,
        DeclineCode declineCode,
        long fee,
        Instant created) {

    public static final String OBJECT = "charge";

    public Charge {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(created, "created");
        if ((status == Status.DECLINED) != (declineCode != null)) {
            throw new IllegalArgumentException("charge " + id + ": a decline code goes with status declined only, got "
                    + status + " with " + declineCode);
        }
    }

    /** What the processor did with the charge. */
    public enum Status {
        @JsonProperty("succeeded") SUCCEEDED,
        @JsonProperty("declined") DECLINED,
        /** Held for the processor's manual review: neither paid nor declined yet. */
        @JsonProperty("review") REVIEW
    }

    /** Why a charge was declined. */
    public enum DeclineCode {
        @JsonProperty("card_declined") CARD_DECLINED,
        @JsonProperty("insufficient_funds") INSUFFICIENT_FUNDS,
        @JsonProperty("expired_card") EXPIRED_CARD
    }
}
