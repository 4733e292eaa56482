package dev.kassa.api.kafka;

import dev.kassa.model.CommandReplay;
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
    private final ConcurrentHashMap<String, Waiter<T>> waiting = new ConcurrentHashMap<>();

    private record Waiter<T>(CompletableFuture<Optional<T>> outcome, CompletableFuture<CommandReplay> replay) {
    }
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
        Waiter<T> waiter = new Waiter<>(new CompletableFuture<>(), new CompletableFuture<>());
        if (waiting.putIfAbsent(id, waiter) != null) {
            count.decrementAndGet();
            throw new IllegalStateException("a request is already waiting for the outcome of " + id);
        }
        return new Awaiting<>(waiter.outcome(), waiter.replay(), () -> {
            if (waiting.remove(id, waiter)) {
                count.decrementAndGet();
            }
        });
    }

    /** Hands {@code outcome} to the request waiting for {@code id}, if any. */
    void complete(String id, T outcome) {
        Waiter<T> waiter = waiting.get(id);
        if (waiter != null) {
            waiter.outcome().complete(Optional.of(outcome));
        }
    }

    /** Tells the request waiting for {@code id}, if any, that the topology answered its command with {@code replay}. */
    void replay(String id, CommandReplay replay) {
        Waiter<T> waiter = waiting.get(id);
        if (waiter != null) {
            waiter.replay().complete(replay);
        }
    }

    int size() {
        return count.get();
    }
}
