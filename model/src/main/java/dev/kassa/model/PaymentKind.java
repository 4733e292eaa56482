package dev.kassa.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What moved the money: a payment between two accounts, a deposit from the external account, or a
 * card payment charged at the card processor and paid from the currency's card clearing account
 * ({@link Ids#cardClearingAccount}) once the processor answered (docs/architecture.md, Card payments).
 */
public enum PaymentKind {
    @JsonProperty("payment") PAYMENT,
    @JsonProperty("deposit") DEPOSIT,
    @JsonProperty("card") CARD
}
