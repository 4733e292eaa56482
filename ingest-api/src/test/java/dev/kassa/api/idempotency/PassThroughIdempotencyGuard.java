package dev.kassa.api.idempotency;

import dev.kassa.api.http.ApiResponse;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Executes every request without remembering it: for HTTP-layer tests that must not need Redis.
 */
public final class PassThroughIdempotencyGuard implements IdempotencyGuard {

    @Override
    public ApiResponse execute(IdempotentRequest request, Supplier<ApiResponse> execution) {
        return execution.get();
    }

    @Override
    public CompletableFuture<ApiResponse> executeAsync(IdempotentRequest request,
            Supplier<CompletableFuture<ApiResponse>> execution) {
        return execution.get();
    }
}
