package dev.kassa.api.idempotency;

import dev.kassa.api.http.ApiResponse;
import java.util.function.Supplier;

/**
 * Runs a request at most once per {@code (scope, key)} and replays its stored response to retries
 * (docs/api.md, Idempotency). An implementation stores the response of {@code execution}, also a 402
 * decline thrown as {@link dev.kassa.api.error.PaymentDeclinedException}, and stores nothing for
 * errors raised before execution or for {@code 503}. Validation and authentication happen before the
 * guard is called, so they never reach it.
 */
public interface IdempotencyGuard {

    ApiResponse execute(IdempotentRequest request, Supplier<ApiResponse> execution);
}
