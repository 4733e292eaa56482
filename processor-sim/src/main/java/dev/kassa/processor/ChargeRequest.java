package dev.kassa.processor;

import java.util.Objects;

/**
 * What a gateway asks a processor to charge: {@code amount} minor units of {@code currency} (lower-case
 * ISO 4217) on the card behind {@code cardToken}, under the gateway's own {@code reference}.
 */
public record ChargeRequest(long amount, String currency, String cardToken, String reference) {

    public ChargeRequest {
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(cardToken, "cardToken");
        Objects.requireNonNull(reference, "reference");
    }
}
