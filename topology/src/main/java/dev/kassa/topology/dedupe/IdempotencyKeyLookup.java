package dev.kassa.topology.dedupe;

import java.util.Objects;

/**
 * The answer of an interactive query for one idempotency key: what this instance's
 * {@code idempotency-keys} store holds, or that another instance owns the key's partition (ask it),
 * or that no instance can answer right now (the topology is starting, rebalancing or restoring; ask
 * again). "Not found" is only ever said by the instance that owns the key.
 */
public sealed interface IdempotencyKeyLookup
        permits IdempotencyKeyLookup.Found, IdempotencyKeyLookup.NotFound, IdempotencyKeyLookup.OwnedElsewhere,
        IdempotencyKeyLookup.Unavailable {

    /**
     * This instance owns the key and remembers its first command. The entry may be past the retention
     * and not yet purged; compare {@code firstSeenMs} with the retention when that matters.
     */
    record Found(IdempotencyEntry entry) implements IdempotencyKeyLookup {
        public Found {
            Objects.requireNonNull(entry, "entry");
        }
    }

    /** This instance owns the key and has no entry for it: never seen, or expired and purged. */
    record NotFound() implements IdempotencyKeyLookup {
    }

    /** Another instance owns the key's partition; its {@code application.server} is {@code host:port}. */
    record OwnedElsewhere(String host, int port) implements IdempotencyKeyLookup {
        public OwnedElsewhere {
            Objects.requireNonNull(host, "host");
        }
    }

    /** Nobody can answer now; {@code reason} says why. */
    record Unavailable(String reason) implements IdempotencyKeyLookup {
        public Unavailable {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
