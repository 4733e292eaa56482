package dev.kassa.topology.dedupe;

import java.util.Objects;

/**
 * What the {@code idempotency-keys} store remembers of the first command with a key.
 *
 * @param resourceId  the payment id or account id that the first command created
 * @param firstSeenMs the first command's record timestamp, from which its retention counts
 * @param requestFingerprint the first command's request fingerprint; null when it carried none
 */
public record IdempotencyEntry(String resourceId, long firstSeenMs, String requestFingerprint) {

    public IdempotencyEntry {
        Objects.requireNonNull(resourceId, "resourceId");
    }
}
