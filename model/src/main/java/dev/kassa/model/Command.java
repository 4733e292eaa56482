package dev.kassa.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A command on {@code payments.commands}: what the ingest API asks the topology to do. Every command
 * is keyed by {@code merchantId:idempotencyKey}, so all attempts of one request land on one partition
 * and the topology's dedupe stage sees them in order.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = OpenAccount.class, name = "OpenAccount"),
        @JsonSubTypes.Type(value = CreatePayment.class, name = "CreatePayment"),
        @JsonSubTypes.Type(value = CreateRefund.class, name = "CreateRefund")
})
public sealed interface Command permits OpenAccount, CreatePayment, CreateRefund {

    String merchantId();

    String idempotencyKey();

    /**
     * The API's fingerprint of the request (method, path and canonical body, SHA-256 hex) that this
     * command executes, so that a later request reusing the key with other parameters can be told
     * from a retry wherever the key is remembered; null on commands published before fingerprints.
     */
    String requestFingerprint();

    /**
     * Whether a request with fingerprint {@code retry} repeats the first request with fingerprint
     * {@code first}, rather than reusing its key with other parameters. Without a fingerprint on either
     * side it cannot be told, and is taken as a retry: the original outcome is answered, and nothing
     * executes twice either way.
     */
    static boolean sameRequest(String first, String retry) {
        return first == null || retry == null || first.equals(retry);
    }

    /** The record key of this command on {@code payments.commands}. */
    @JsonIgnore
    default String key() {
        return commandKey(merchantId(), idempotencyKey());
    }

    /** The key under which {@code merchantId}'s request with {@code idempotencyKey} is published. */
    static String commandKey(String merchantId, String idempotencyKey) {
        return merchantId + ":" + idempotencyKey;
    }
}
