package dev.kassa.topology.card;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentKind;
import java.util.Objects;

/**
 * A card payment as its card clearing account's task keeps it: the payment as it was when its charge
 * was asked for, where the processor's answer stands, and the processor's charge id once it charged
 * (what a refund names). The first answer moves it out of {@code processing}; any later answer for the
 * same payment finds it there no more and books nothing.
 */
public record CardPayment(Payment payment, State state, String chargeId) {

    /** Where a card payment stands with the processor. */
    public enum State {
        /** Asked for; the processor has not answered yet. */
        @JsonProperty("processing") PROCESSING,
        /** The processor charged the card; the payment was booked. */
        @JsonProperty("charged") CHARGED,
        /** The processor declined the card; nothing was booked. */
        @JsonProperty("declined") DECLINED
    }

    public CardPayment {
        Objects.requireNonNull(payment, "payment");
        Objects.requireNonNull(state, "state");
        if (payment.kind() != PaymentKind.CARD) {
            throw new IllegalArgumentException("payment " + payment.id() + " is no card payment");
        }
        if ((state == State.CHARGED) != (chargeId != null)) {
            throw new IllegalArgumentException("card payment " + payment.id() + ": a charge id comes with a charge");
        }
    }

    public static CardPayment processing(Payment payment) {
        return new CardPayment(payment, State.PROCESSING, null);
    }

    public CardPayment charged(String chargeId) {
        return new CardPayment(payment, State.CHARGED, Objects.requireNonNull(chargeId, "chargeId"));
    }

    public CardPayment declined() {
        return new CardPayment(payment, State.DECLINED, null);
    }
}
