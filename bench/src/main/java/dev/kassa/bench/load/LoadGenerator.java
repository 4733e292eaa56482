package dev.kassa.bench.load;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives {@link PaymentOperation}s in one of two ways.
 *
 * <p><b>Open loop</b> ({@link #openLoop}): operation n is due at {@code start + n / rate}, whatever
 * happened to the operations before it. A scheduler thread hands each due operation, with its
 * intended start time, to a fixed pool of load threads (one keep-alive connection each) through a
 * bounded queue. When the system under test is slow, operations wait in that queue, and because every
 * latency is measured from the intended time, the wait is part of the latency — the load generator
 * never hides queueing by slowing down (no coordinated omission). If the queue fills up, the scheduler
 * blocks; the intended times stay those of the schedule, so the lateness still counts.
 *
 * <p><b>Closed loop</b> ({@link #closedLoop}): each of N load threads sends its next operation as
 * soon as the previous one answered. It measures the maximum throughput at that concurrency; latency
 * is then measured from the actual send.
 */
public final class LoadGenerator {

    private static final Logger LOG = LoggerFactory.getLogger(LoadGenerator.class);
    /** How long load threads may take to finish what was sent when the run's time is up. */
    private static final Duration FINISH_TIMEOUT = Duration.ofSeconds(60);
    private static final int QUEUE_CAPACITY_MAX = 1_000_000;

    private final AtomicLong scheduled = new AtomicLong();
    private volatile BlockingQueue<Runnable> queue;

    /** Operations handed out so far. */
    public long scheduled() {
        return scheduled.get();
    }

    /** Operations due but not yet started by a load thread (open loop): the generator's own backlog. */
    public int queued() {
        BlockingQueue<Runnable> current = queue;
        return current == null ? 0 : current.size();
    }

    /**
     * Runs {@code operation} at {@code ratePerSecond} for {@code duration} on {@code threads} load threads;
     * its sequence numbers follow those this generator handed out before.
     */
    public void openLoop(double ratePerSecond, Duration duration, int threads, PaymentOperation operation)
            throws InterruptedException {
        requirePositive(ratePerSecond, threads);
        int capacity = (int) Math.min(QUEUE_CAPACITY_MAX, Math.max(1_000, ratePerSecond * 30));
        queue = new ArrayBlockingQueue<>(capacity);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, queue,
                LoadThreads.named("bench-load"), LoadGenerator::blockUntilQueued);
        double periodNanos = 1e9 / ratePerSecond;
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        // Sequences go on from an earlier loop of this generator: each names its own payment (its key).
        long first = scheduled.get();
        try {
            for (long sequence = 0; ; sequence++) {
                long intended = start + (long) (sequence * periodNanos);
                if (intended >= end) {
                    break;
                }
                long wait = intended - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                long operationSequence = first + sequence;
                pool.execute(() -> runQuietly(operation, operationSequence, intended));
                scheduled.incrementAndGet();
            }
        } finally {
            finish(pool, 0);
        }
    }

    /** Runs {@code operation} back to back on {@code connections} load threads for {@code duration}. */
    public void closedLoop(int connections, Duration duration, PaymentOperation operation) throws InterruptedException {
        requirePositive(1, connections);
        long end = System.nanoTime() + duration.toNanos();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(connections, connections, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(connections), LoadThreads.named("bench-load"));
        for (int i = 0; i < connections; i++) {
            pool.execute(() -> {
                while (System.nanoTime() < end && !Thread.currentThread().isInterrupted()) {
                    runQuietly(operation, scheduled.getAndIncrement(), System.nanoTime());
                }
            });
        }
        // The load threads stop by themselves at the end of the run; the finish timeout counts from there.
        finish(pool, Math.max(0, end - System.nanoTime()));
    }

    private static void runQuietly(PaymentOperation operation, long sequence, long intendedStartNanos) {
        try {
            operation.run(sequence, intendedStartNanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("operation {} failed in the harness itself", sequence, e);
        }
    }

    private static void blockUntilQueued(Runnable task, ThreadPoolExecutor pool) {
        try {
            pool.getQueue().put(task);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.RejectedExecutionException("interrupted while queueing an operation", e);
        }
    }

    /** Waits for the load threads: {@code runLeftNanos} for the run's end, then at most {@link #FINISH_TIMEOUT}. */
    private static void finish(ThreadPoolExecutor pool, long runLeftNanos) throws InterruptedException {
        pool.shutdown();
        if (!pool.awaitTermination(runLeftNanos + FINISH_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)) {
            LOG.warn("load threads still busy {} after the run; interrupting them", FINISH_TIMEOUT);
            pool.shutdownNow();
        }
    }

    private static void requirePositive(double rate, int threads) {
        if (!(rate > 0) || threads < 1) {
            throw new IllegalArgumentException("rate and threads must be positive: " + rate + ", " + threads);
        }
    }
}
