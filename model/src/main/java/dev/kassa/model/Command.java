package dev.kassa.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A command on {@code payments.commands}: what the ingest API asks the topology to do. Every command
 * is published under its {@link #routingKey()}, the account whose task decides it (a payment's
 * source, a deposit's currency's external account, a refund's payment's destination), so a payment is deduplicated,
 * judged, authorized and answered by one task in one exactly-once transaction; all attempts of one
 * request name the same account and so land on one partition, where the dedupe stage sees them in
 * order under {@link #key()} ({@code merchantId:idempotencyKey}). See docs/architecture.md.
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

    /**
     * The key under which the first command with this idempotency key is remembered by the
     * topology's dedupe stage: {@code merchantId:idempotencyKey}.
     */
    @JsonIgnore
    default String key() {
        return commandKey(merchantId(), idempotencyKey());
    }

    /**
     * The record key of this command on {@code payments.commands}: the account whose balance the
     * command is decided against, so that it reaches the one task that owns that balance without a
     * repartition. An account opening has no account yet that a retry would name again (the API
     * assigns a new id to each attempt it cannot answer from Redis), so it is published under
     * {@link #key()} and its opening leg is routed on from there.
     */
    @JsonIgnore
    String routingKey();

    /** The key under which {@code merchantId}'s request with {@code idempotencyKey} is published. */
    static String commandKey(String merchantId, String idempotencyKey) {
        return merchantId + ":" + idempotencyKey;
    }
}
