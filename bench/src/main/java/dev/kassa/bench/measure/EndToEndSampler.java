package dev.kassa.bench.measure;

import dev.kassa.bench.load.LoadThreads;
import dev.kassa.bench.load.RunStats;
import dev.kassa.bench.load.SinglePayment;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures end-to-end latency — from a payment's intended send time to its ledger entries being
 * committed in Postgres — on a sample of the accepted payments. Kassa's rows carry no commit time
 * (their {@code booked_at} is the event's time), so a poller asks Postgres every {@link #POLL_INTERVAL}
 * which sampled payments have entries now; a payment's latency is the time of the first poll that
 * saw it. That over-states each latency by at most one poll interval plus one query, never
 * under-states it. Only this class's thread writes the histogram.
 */
public final class EndToEndSampler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EndToEndSampler.class);
    public static final Duration POLL_INTERVAL = Duration.ofMillis(20);
    private static final int PENDING_MAX = 20_000;
    private static final int IDS_PER_QUERY_MAX = 2_000;

    private record Sample(String paymentId, long intendedStartNanos) {
    }

    private final LedgerProbe probe;
    private final long sampleEvery;
    private final Queue<Sample> incoming = new ConcurrentLinkedQueue<>();
    private final AtomicInteger incomingSize = new AtomicInteger();
    private final Map<String, Long> pending = new LinkedHashMap<>();
    private final Histogram latency = RunStats.newHistogram();
    private final LongAdder dropped = new LongAdder();
    private final Thread poller;
    private volatile boolean stopping;
    private volatile long stopDeadlineNanos = Long.MAX_VALUE;

    /** @param sampleEvery time one accepted payment in this many */
    public EndToEndSampler(LedgerProbe probe, long sampleEvery) {
        this.probe = Objects.requireNonNull(probe, "probe");
        if (sampleEvery < 1) {
            throw new IllegalArgumentException("sampleEvery must be positive: " + sampleEvery);
        }
        this.sampleEvery = sampleEvery;
        this.poller = LoadThreads.named("bench-e2e").newThread(this::pollUntilStopped);
        poller.start();
    }

    /** The hook the load threads call for each accepted payment. */
    public SinglePayment.EndToEndSink sink() {
        return (sequence, paymentId, intendedStartNanos) -> {
            if (sequence % sampleEvery != 0) {
                return;
            }
            if (incomingSize.incrementAndGet() > PENDING_MAX) {
                incomingSize.decrementAndGet();
                dropped.increment();
                return;
            }
            incoming.add(new Sample(paymentId, intendedStartNanos));
        };
    }

    /** The samples still unseen in the ledger (read after {@link #finish}). */
    public synchronized int unresolved() {
        return pending.size() + incomingSize.get();
    }

    public long dropped() {
        return dropped.sum();
    }

    /** Keeps polling until every sample is seen in the ledger or {@code timeout} passed; returns the histogram. */
    public Histogram finish(Duration timeout) throws InterruptedException {
        stopDeadlineNanos = System.nanoTime() + timeout.toNanos();
        stopping = true;
        poller.join(timeout.toMillis() + 5_000);
        synchronized (this) {
            return latency.copy();
        }
    }

    @Override
    public void close() {
        stopDeadlineNanos = 0;
        stopping = true;
        poller.interrupt();
    }

    private void pollUntilStopped() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                boolean empty = pollOnce();
                if (stopping && (empty || System.nanoTime() > stopDeadlineNanos)) {
                    return;
                }
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                return;
            } catch (SQLException | RuntimeException e) {
                LOG.warn("end-to-end poll failed; retrying: {}", e.toString());
            }
        }
    }

    /** One poll; true when nothing is left to wait for. */
    private synchronized boolean pollOnce() throws SQLException {
        for (Sample sample; (sample = incoming.poll()) != null; ) {
            incomingSize.decrementAndGet();
            pending.put(sample.paymentId(), sample.intendedStartNanos());
        }
        if (pending.isEmpty()) {
            return true;
        }
        List<String> batch = new ArrayList<>(Math.min(pending.size(), IDS_PER_QUERY_MAX));
        for (Iterator<String> ids = pending.keySet().iterator(); ids.hasNext() && batch.size() < IDS_PER_QUERY_MAX; ) {
            batch.add(ids.next());
        }
        Set<String> committed = probe.committed(batch);
        long seenAt = System.nanoTime();
        for (String paymentId : committed) {
            Long intended = pending.remove(paymentId);
            if (intended != null) {
                RunStats.record(latency, intended, seenAt);
            }
        }
        return pending.isEmpty() && incoming.isEmpty();
    }
}
