package dev.kassa.api.idempotency;

import dev.kassa.api.http.ApiResponse;
import java.util.function.Supplier;

/**
 * Executes every request without remembering it. The key still reaches the topology inside the
 * command, whose dedupe stage keeps a retried command from paying twice; the Redis-backed replay
 * replaces this guard.
 */
public final class PassThroughIdempotencyGuard implements IdempotencyGuard {

    @Override
    public ApiResponse execute(IdempotentRequest request, Supplier<ApiResponse> execution) {
        return execution.get();
    }
}
