package dev.kassa.app.reconcile;

import java.util.Objects;

/**
 * A card payment as the ledger (Postgres) holds it: its status as stored ({@code pending} while
 * processing, {@code completed}, {@code failed}, {@code partially_refunded}, {@code refunded}), its
 * amount in minor units of {@code currency}, and its source, the currency's card clearing account.
 */
public record KassaCardPayment(String id, String status, long amount, String currency, String clearingAccount) {

    public KassaCardPayment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(clearingAccount, "clearingAccount");
    }

    /** Still waiting for the processor's answer. */
    public boolean processing() {
        return status.equals("pending");
    }

    /** Charged and booked: completed, refunded or not. */
    public boolean charged() {
        return status.equals("completed") || status.equals("partially_refunded") || status.equals("refunded");
    }
}
