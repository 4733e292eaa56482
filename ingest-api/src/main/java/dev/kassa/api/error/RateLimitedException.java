package dev.kassa.api.error;

/** A {@code 429 rate_limited}: the answer carries {@code Retry-After} with {@link #retryAfterSeconds()}. */
public final class RateLimitedException extends ApiException {

    private final long retryAfterSeconds;

    public RateLimitedException(String message, long retryAfterSeconds) {
        super(ErrorCode.RATE_LIMITED, message);
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    /** Whole seconds after which the same request may succeed; at least 1. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
