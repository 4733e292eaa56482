package dev.kassa.api.idempotency;

import dev.kassa.api.http.ApiResponse;
import java.util.concurrent.CompletableFuture;
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

    /**
     * As {@link #execute}, for an execution that answers later without holding a thread while it
     * waits (a payment waiting for its outcome): the response stored is the one {@code execution}'s
     * future completes with, or the error it fails with, as {@link #execute} stores a returned or
     * thrown one. The returned future fails with what the execution failed with, or with the refusal
     * of a retry ({@code 400}, {@code 409}).
     */
    CompletableFuture<ApiResponse> executeAsync(IdempotentRequest request,
            Supplier<CompletableFuture<ApiResponse>> execution);
}
