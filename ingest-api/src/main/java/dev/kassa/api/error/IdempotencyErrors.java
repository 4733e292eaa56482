package dev.kassa.api.error;

/** The idempotency refusals of docs/api.md that more than one line of defence raises. */
public final class IdempotencyErrors {

    private IdempotencyErrors() {
    }

    /** The key was first used for a request with other parameters: {@code 400 idempotency_key_reused}. */
    public static ApiException reused() {
        return new ApiException(ErrorCode.IDEMPOTENCY_KEY_REUSED,
                "this Idempotency-Key was already used with other parameters", "Idempotency-Key");
    }
}
