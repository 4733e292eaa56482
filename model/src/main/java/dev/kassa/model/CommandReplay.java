package dev.kassa.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One event on {@code payments.replays}, keyed by the command key {@code merchantId:idempotencyKey}:
 * the topology's dedupe stage saw a command whose key it already remembers and did not execute it
 * again. {@code originalId} names the payment or account that the first command with this key
 * created, so an API instance that lost its Redis record of the key can still answer the retry with
 * the original outcome. {@code requestedId} is the id the repeated command carried; it differs from
 * {@code originalId} when the repeat was not a byte-identical retry. {@code originalFingerprint} is the
 * request fingerprint of the first command (null when it had none), so the API can tell a retry from
 * a different request reusing the key.
 */
public record CommandReplay(
        int schemaVersion,
        String commandKey,
        String merchantId,
        String idempotencyKey,
        String requestedId,
        String originalId,
        String originalFingerprint,
        Instant occurredAt) {

    /** Bumped whenever the JSON shape of a replay changes. */
    public static final int SCHEMA_VERSION = 1;

    public CommandReplay {
        Objects.requireNonNull(commandKey, "commandKey");
        Objects.requireNonNull(merchantId, "merchantId");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(requestedId, "requestedId");
        Objects.requireNonNull(originalId, "originalId");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }

    /** A replay of the current schema version of {@code repeated}, whose key first created {@code originalId}. */
    public static CommandReplay of(Command repeated, String requestedId, String originalId, String originalFingerprint,
                                   Instant occurredAt) {
        return new CommandReplay(SCHEMA_VERSION, repeated.key(), repeated.merchantId(), repeated.idempotencyKey(),
                requestedId, originalId, originalFingerprint, occurredAt);
    }

    /** Whether a request with {@code fingerprint} is a retry of the first command; see {@link Command#sameRequest}. */
    public boolean isRetryOf(String fingerprint) {
        return Command.sameRequest(originalFingerprint, fingerprint);
    }
}
