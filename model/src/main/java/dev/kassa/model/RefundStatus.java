package dev.kassa.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where a refund stands. The topology decides a refund in one step, so only the API ever shows
 * {@code pending}: a refund it published whose outcome had not arrived within the wait.
 */
public enum RefundStatus {
    @JsonProperty("pending") PENDING,
    @JsonProperty("completed") COMPLETED,
    @JsonProperty("failed") FAILED;

    /** The name used on the wire and in Postgres. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
