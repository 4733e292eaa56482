package dev.kassa.api.payments;

import java.util.Objects;
import java.util.Optional;

/**
 * One page of a newest-first listing: at most {@code limit} objects created before
 * {@code startingAfter} (an object id), or the newest ones when it is empty.
 */
public record PageRequest(int limit, Optional<String> startingAfter) {

    public static final int LIMIT_DEFAULT = 20;
    public static final int LIMIT_MAX = 100;

    public PageRequest {
        Objects.requireNonNull(startingAfter, "startingAfter");
        if (limit < 1 || limit > LIMIT_MAX) {
            throw new IllegalArgumentException("page limit must be within 1.." + LIMIT_MAX + ": " + limit);
        }
    }
}
