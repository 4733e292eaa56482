package dev.kassa.fraud;

import dev.kassa.model.Currencies;
import dev.kassa.model.Money;
import java.util.Objects;

/**
 * What the fraud rules may look at when they judge one payment: who pays whom, how much, in which
 * currency. The fraud stage of the topology builds one per payment from its windowed stores; the
 * velocity features (counts and sums per minute, hour and day, distinct payees, …) join this record
 * with the fraud issue.
 *
 * @param sourceAccountId      the payer's account
 * @param destinationAccountId the payee's account
 * @param amount               minor units of {@code currency}, within the bounds of {@link Money}
 * @param currency             canonical lower-case ISO 4217 code
 */
public record FeatureSnapshot(String sourceAccountId, String destinationAccountId, long amount, String currency) {

    public FeatureSnapshot {
        Objects.requireNonNull(sourceAccountId, "sourceAccountId");
        Objects.requireNonNull(destinationAccountId, "destinationAccountId");
        if (!Money.isValidAmount(amount)) {
            throw new IllegalArgumentException("feature snapshot of " + sourceAccountId + " -> " + destinationAccountId
                    + ": amount out of bounds: " + amount);
        }
        if (!Currencies.isCanonical(currency)) {
            throw new IllegalArgumentException("feature snapshot of " + sourceAccountId + " -> " + destinationAccountId
                    + ": not a canonical currency: " + currency);
        }
    }
}
