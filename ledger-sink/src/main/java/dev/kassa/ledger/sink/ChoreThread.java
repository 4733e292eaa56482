package dev.kassa.ledger.sink;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the sink's chores that need not hold up its consume loop (the key purge, the dead-letter
 * relay) on a thread of their own: each when due, then waits until the next is due or one is made
 * due from elsewhere ({@link #runSoon}). A chore handles its own failures ({@link ScheduledChore}), so
 * the thread runs until {@link #close()}.
 */
final class ChoreThread {

    private static final Logger LOG = LoggerFactory.getLogger(ChoreThread.class);

    private final List<ScheduledChore> chores;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wakeUp = lock.newCondition();
    private boolean woken;
    private volatile boolean closing;

    ChoreThread(String name, List<ScheduledChore> chores) {
        this.chores = List.copyOf(chores);
        if (this.chores.isEmpty()) {
            throw new IllegalArgumentException("a chore thread needs at least one chore");
        }
        this.thread = new Thread(this::loop, Objects.requireNonNull(name, "name"));
        this.thread.setDaemon(true);
        // A chore handles its own exceptions; only an Error gets here, and it must not pass unseen.
        this.thread.setUncaughtExceptionHandler((thread, error) ->
                LOG.error("the ledger sink's chore thread stopped; its chores no longer run", error));
    }

    void start() {
        thread.start();
    }

    /** Makes {@code chore} due now and wakes the thread to run it. */
    void runSoon(ScheduledChore chore) {
        chore.dueNow();
        wake();
    }

    /** Stops the thread after the chore it runs, if any, waiting at most {@code timeout}. */
    void close(Duration timeout) {
        closing = true;
        wake();
        try {
            thread.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("the ledger sink's chores did not stop within {}", timeout);
        }
    }

    private void wake() {
        lock.lock();
        try {
            woken = true;
            wakeUp.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        while (!closing) {
            chores.forEach(ScheduledChore::runIfDue);
            awaitNextDue();
        }
    }

    private void awaitNextDue() {
        long waitNanos = chores.stream().mapToLong(chore -> chore.untilDue().toNanos()).min().orElse(0);
        lock.lock();
        try {
            while (!woken && !closing && waitNanos > 0) {
                waitNanos = wakeUp.awaitNanos(waitNanos);
            }
            woken = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closing = true;
        } finally {
            lock.unlock();
        }
    }
}
