package dev.kassa.app.reconcile;

import java.util.Objects;

/** A completed refund of a card payment as the ledger holds it, its amount positive in minor units of {@code currency}. */
public record KassaCardRefund(String id, String paymentId, long amount, String currency) {

    public KassaCardRefund {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(paymentId, "paymentId");
        Objects.requireNonNull(currency, "currency");
    }
}
