package dev.kassa.api.kafka;

import dev.kassa.model.CommandReplay;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One request's wait for an outcome on a Kafka topic. Register it before publishing the command, so
 * an outcome that arrives quickly is not missed; close it when done, so the bounded table of waiters
 * frees its slot whatever happened.
 */
public final class Awaiting<T> implements AutoCloseable {

    /** Completed with the outcome, or with empty when there is nothing to wait for. */
    private final CompletableFuture<Optional<T>> outcome;
    /** Completed when the topology reports the command as a replay of an earlier one. */
    private final CompletableFuture<CommandReplay> replay;
    private final Runnable release;

    Awaiting(CompletableFuture<Optional<T>> outcome, CompletableFuture<CommandReplay> replay, Runnable release) {
        this.outcome = outcome;
        this.replay = replay;
        this.release = release;
    }

    /** A wait that ends at once without an outcome: used when the table of waiters is full. */
    static <T> Awaiting<T> nothing() {
        return new Awaiting<>(CompletableFuture.completedFuture(Optional.empty()), new CompletableFuture<>(), () -> { });
    }

    /**
     * The outcome, or empty when none arrived within {@code timeout} (or the thread was interrupted).
     * Also returns (empty) as soon as the command turns out to be a replay; see {@link #replayOf()}.
     */
    public Optional<T> await(Duration timeout) {
        return await(timeout, new CompletableFuture<>());
    }

    /**
     * As {@link #await(Duration)}, and also returns (empty, unless the outcome is there) as soon as
     * {@code giveUp} completes: the command's send failed, say, so no outcome is coming.
     */
    public Optional<T> await(Duration timeout, CompletableFuture<?> giveUp) {
        try {
            CompletableFuture.anyOf(outcome, replay, giveUp).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return outcome.getNow(Optional.empty());
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            // Only giveUp can fail (the outcome and replay futures never do): it ends the wait as well.
            return outcome.getNow(Optional.empty());
        }
    }

    /**
     * As {@link #await(Duration, CompletableFuture)} without holding a thread: completes with the
     * outcome, or with empty once {@code timeout} has passed, the command turned out to be a replay or
     * {@code giveUp} completed, on the thread that brought that news (the outcome listener's, the
     * producer's, or the JDK's timer). Never completes exceptionally.
     */
    public CompletableFuture<Optional<T>> future(Duration timeout, CompletableFuture<?> giveUp) {
        return CompletableFuture.anyOf(outcome, replay, giveUp)
                .completeOnTimeout(null, timeout.toNanos(), TimeUnit.NANOSECONDS)
                .handle((ended, failure) -> outcome.getNow(Optional.empty()));
    }

    /**
     * The topology's replay, naming the payment or account that an earlier command with the same key
     * created, when it deduplicated this command instead of executing it.
     */
    public Optional<CommandReplay> replayOf() {
        return Optional.ofNullable(replay.getNow(null));
    }

    @Override
    public void close() {
        release.run();
    }
}
