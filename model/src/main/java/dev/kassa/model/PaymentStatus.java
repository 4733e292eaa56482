package dev.kassa.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where a payment stands. Only {@code pending} is not final; refunds move a completed payment on. */
public enum PaymentStatus {
    @JsonProperty("pending") PENDING,
    @JsonProperty("completed") COMPLETED,
    @JsonProperty("failed") FAILED,
    @JsonProperty("partially_refunded") PARTIALLY_REFUNDED,
    @JsonProperty("refunded") REFUNDED;

    /** The name used on the wire and in Postgres. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
