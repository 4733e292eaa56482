package dev.kassa.ledger.sink;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A recurring piece of the sink's upkeep (creating partitions, purging expired keys, relaying dead
 * letters, seeking again after a failure): it runs when due, and each run says when the next is due
 * — at once while there is more to do, after its interval otherwise, after the longest retry backoff
 * when it failed. One helper for every timed chore, so that none reimplements the clock arithmetic
 * ({@code System.nanoTime()} may be negative and wraps, so deadlines are compared by difference).
 * Thread-safe: a chore may run on one thread and be made due from another.
 */
final class ScheduledChore {

    /** One run of the chore; returns how long until it is due again ({@link Duration#ZERO}: at once). */
    @FunctionalInterface
    interface Task {
        Duration run() throws Exception;
    }

    private final String name;
    private final Task task;
    private final Function<Exception, Duration> onFailure;
    private final LongSupplier nanoTime;
    private volatile long dueAtNanos;

    /**
     * A chore due at once.
     *
     * @param onFailure handles a failed run (logs it, counts it) and returns how long until the next
     */
    ScheduledChore(String name, Task task, Function<Exception, Duration> onFailure) {
        this(name, task, onFailure, System::nanoTime);
    }

    /** For tests: a chore reading {@code nanoTime} as its clock. */
    ScheduledChore(String name, Task task, Function<Exception, Duration> onFailure, LongSupplier nanoTime) {
        this.name = Objects.requireNonNull(name, "name");
        this.task = Objects.requireNonNull(task, "task");
        this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.dueAtNanos = nanoTime.getAsLong();
    }

    /** Runs the chore if it is due; returns whether it ran. */
    boolean runIfDue() {
        if (!isDue()) {
            return false;
        }
        Duration next;
        try {
            next = task.run();
        } catch (Exception e) {
            next = onFailure.apply(e);
        }
        dueIn(next);
        return true;
    }

    boolean isDue() {
        return nanoTime.getAsLong() - dueAtNanos >= 0;
    }

    /** How long until the chore is due; zero or negative when it is due. */
    Duration untilDue() {
        return Duration.ofNanos(dueAtNanos - nanoTime.getAsLong());
    }

    /** Makes the chore due {@code delay} from now. */
    void dueIn(Duration delay) {
        dueAtNanos = nanoTime.getAsLong() + delay.toNanos();
    }

    /** Makes the chore due now. */
    void dueNow() {
        dueIn(Duration.ZERO);
    }

    @Override
    public String toString() {
        return name;
    }
}
