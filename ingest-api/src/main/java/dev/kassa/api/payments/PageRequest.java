package dev.kassa.api.payments;

import java.util.Objects;
import java.util.Optional;

/**
 * One page of a newest-first listing: at most {@code limit} objects created before
 * {@code startingAfter} (an object id), or the newest ones when it is empty.
 */
public record PageRequest(int limit, Optional<String> startingAfter) {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    public PageRequest {
        Objects.requireNonNull(startingAfter, "startingAfter");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("page limit must be within 1.." + MAX_LIMIT + ": " + limit);
        }
    }
}
