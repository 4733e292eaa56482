package dev.kassa.api.kafka;

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
    private final Runnable release;

    Awaiting(CompletableFuture<Optional<T>> outcome, Runnable release) {
        this.outcome = outcome;
        this.release = release;
    }

    /** A wait that ends at once without an outcome: used when the table of waiters is full. */
    static <T> Awaiting<T> nothing() {
        return new Awaiting<>(CompletableFuture.completedFuture(Optional.empty()), () -> { });
    }

    /** The outcome, or empty when none arrived within {@code timeout} (or the thread was interrupted). */
    public Optional<T> await(Duration timeout) {
        try {
            return outcome.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException("an outcome wait cannot fail", e);
        }
    }

    @Override
    public void close() {
        release.run();
    }
}
