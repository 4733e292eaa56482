package dev.kassa.api.kafka;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded table of ids whose outcome some request is waiting for. When it is full, a new request
 * does not wait at all and answers {@code 202} pending: a burst degrades to polling rather than to
 * unbounded memory.
 */
final class OutcomeWaiters<T> {

    private final int waitersMax;
    private final ConcurrentHashMap<String, CompletableFuture<Optional<T>>> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();

    OutcomeWaiters(int waitersMax) {
        if (waitersMax < 1) {
            throw new IllegalArgumentException("waitersMax must be positive: " + waitersMax);
        }
        this.waitersMax = waitersMax;
    }

    Awaiting<T> register(String id) {
        if (count.incrementAndGet() > waitersMax) {
            count.decrementAndGet();
            return Awaiting.nothing();
        }
        CompletableFuture<Optional<T>> outcome = new CompletableFuture<>();
        if (waiting.putIfAbsent(id, outcome) != null) {
            count.decrementAndGet();
            throw new IllegalStateException("a request is already waiting for the outcome of " + id);
        }
        return new Awaiting<>(outcome, () -> {
            if (waiting.remove(id, outcome)) {
                count.decrementAndGet();
            }
        });
    }

    /** Hands {@code outcome} to the request waiting for {@code id}, if any. */
    void complete(String id, T outcome) {
        CompletableFuture<Optional<T>> future = waiting.get(id);
        if (future != null) {
            future.complete(Optional.of(outcome));
        }
    }

    int size() {
        return count.get();
    }
}
