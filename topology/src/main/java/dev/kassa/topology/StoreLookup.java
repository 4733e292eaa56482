package dev.kassa.topology;

import java.util.Objects;

/**
 * The answer of an interactive query for one key of one of the topology's local stores: the value
 * this instance holds, or that it owns the key and holds nothing, or that another instance owns the
 * key's partition (ask it), or that no instance can answer right now (the topology is starting,
 * rebalancing or restoring; ask again). "Not found" is only ever said by the instance that owns the
 * key, so a caller never mistakes "ask elsewhere" for "nothing there".
 *
 * @param <V> the store's value type
 */
public sealed interface StoreLookup<V>
        permits StoreLookup.Found, StoreLookup.NotFound, StoreLookup.OwnedElsewhere, StoreLookup.Unavailable {

    /** This instance owns the key and holds {@code value} for it. */
    record Found<V>(V value) implements StoreLookup<V> {
        public Found {
            Objects.requireNonNull(value, "value");
        }
    }

    /** This instance owns the key and holds nothing for it: never seen, or expired and purged. */
    record NotFound<V>() implements StoreLookup<V> {
    }

    /** Another instance owns the key's partition; its {@code application.server} is {@code host:port}. */
    record OwnedElsewhere<V>(String host, int port) implements StoreLookup<V> {
        public OwnedElsewhere {
            Objects.requireNonNull(host, "host");
        }
    }

    /** Nobody can answer now; {@code reason} says why. */
    record Unavailable<V>(String reason) implements StoreLookup<V> {
        public Unavailable {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
