package dev.kassa.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What moved the money: a payment between two accounts, or a deposit from the external account. */
public enum PaymentKind {
    @JsonProperty("payment") PAYMENT,
    @JsonProperty("deposit") DEPOSIT
}
