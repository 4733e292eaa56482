package dev.kassa.model;

import java.util.Objects;

/**
 * An amount of money: a count of minor units ({@code long}, never floating point) in one ISO 4217
 * currency. {@code 1250 usd} is $12.50; {@code 1250 jpy} is ¥1250. A {@code Money} is always
 * positive and at most {@link #AMOUNT_MAX}; signed ledger amounts are plain {@code long}s.
 */
public record Money(long amount, String currency) {

    /** The largest amount a single payment, deposit or refund may carry, in minor units. */
    public static final long AMOUNT_MAX = 99_999_999_999L;

    public Money {
        Objects.requireNonNull(currency, "currency");
        if (!Currencies.isCanonical(currency)) {
            throw new IllegalArgumentException("currency must be a lower-case ISO 4217 code with a minor unit: " + currency);
        }
        if (amount < 1 || amount > AMOUNT_MAX) {
            throw new IllegalArgumentException("amount must be between 1 and " + AMOUNT_MAX + " minor units: " + amount);
        }
    }

    /** True when {@code amount} lies within the bounds every money amount must respect. */
    public static boolean isValidAmount(long amount) {
        return amount >= 1 && amount <= AMOUNT_MAX;
    }
}
