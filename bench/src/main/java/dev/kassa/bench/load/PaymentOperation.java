package dev.kassa.bench.load;

/**
 * One unit of a run's load, started at its intended time by the {@link LoadGenerator}: usually one
 * payment request, in a retry storm three requests with one key. It records what it observed in the
 * run's {@link RunStats} and never throws for a failed request.
 */
@FunctionalInterface
public interface PaymentOperation {

    /**
     * @param sequence           the operation's number within the run, from 0
     * @param intendedStartNanos when the schedule meant it to start ({@link System#nanoTime()}); the
     *                           latency of its answer is measured from here, so time spent queued
     *                           behind a slow request is not hidden (no coordinated omission)
     */
    void run(long sequence, long intendedStartNanos) throws InterruptedException;
}
