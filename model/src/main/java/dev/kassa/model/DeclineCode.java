package dev.kassa.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Why the topology declined a payment or a refund; the API returns it as the {@code code} of a 402. */
public enum DeclineCode {
    @JsonProperty("insufficient_funds") INSUFFICIENT_FUNDS("the source account has insufficient funds"),
    @JsonProperty("fraud_blocked") FRAUD_BLOCKED("the payment was blocked by fraud rules"),
    @JsonProperty("account_not_found") ACCOUNT_NOT_FOUND("the source or destination account does not exist"),
    @JsonProperty("currency_mismatch") CURRENCY_MISMATCH("the payment currency does not match the account currency"),
    @JsonProperty("refund_exceeds_payment") REFUND_EXCEEDS_PAYMENT("the refund exceeds what is left to refund of the payment"),
    @JsonProperty("deposit_limit_exceeded") DEPOSIT_LIMIT_EXCEEDED(
            "the deposit exceeds the merchant's limit for a single deposit"),
    @JsonProperty("daily_deposit_limit_exceeded") DAILY_DEPOSIT_LIMIT_EXCEEDED(
            "the deposit would take the merchant's deposits of this UTC day in this currency over the daily limit"),
    @JsonProperty("supply_limit_exceeded") SUPPLY_LIMIT_EXCEEDED(
            "the deposit would take the money in circulation in this currency over Kassa's supply cap"),
    @JsonProperty("card_declined") CARD_DECLINED("the card processor declined the card"),
    @JsonProperty("expired_card") EXPIRED_CARD("the card processor declined the card as expired"),
    @JsonProperty("processor_rejected") PROCESSOR_REJECTED(
            "the card processor refused the charge request; see the connector's log for its answer");

    private final String message;

    DeclineCode(String message) {
        this.message = message;
    }

    /** The wire name, e.g. {@code insufficient_funds}. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** A human sentence for API error messages. */
    public String message() {
        return message;
    }
}
