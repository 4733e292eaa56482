package dev.kassa.bench.load;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What one run's load threads observed, safe to update from all of them at once: answers by status,
 * the payment ids and idempotency keys the API answered with, and latency recorders in microseconds.
 * The {@link #apiLatency} of a request is measured from its intended send time (open loop) or its
 * actual send time (closed loop) to the end of its answer; {@link #finalOutcomeLatency} only counts
 * answers that carry a final outcome (201 completed, 402 declined), not a 202 pending.
 */
public final class RunStats {

    /** One hour in microseconds: anything slower is clamped and counted as that. */
    public static final long LATENCY_MAX_MICROS = TimeUnit.HOURS.toMicros(1);
    private static final int SIGNIFICANT_DIGITS = 3;

    public final Recorder apiLatency = new Recorder(LATENCY_MAX_MICROS, SIGNIFICANT_DIGITS);
    public final Recorder finalOutcomeLatency = new Recorder(LATENCY_MAX_MICROS, SIGNIFICANT_DIGITS);
    public final LongAdder requestsStarted = new LongAdder();
    public final LongAdder requestsFinished = new LongAdder();
    public final LongAdder accepted = new LongAdder();
    public final LongAdder fraudBlocked = new LongAdder();
    public final LongAdder otherDeclines = new LongAdder();
    public final LongAdder transportErrors = new LongAdder();
    public final LongAdder clientTimeouts = new LongAdder();
    /** Idempotency keys for which two answers named two different payments: must stay 0. */
    public final LongAdder keysWithTwoPayments = new LongAdder();
    private final Map<Integer, LongAdder> answersByStatus = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errorCodes = new ConcurrentHashMap<>();
    private final Set<String> paymentIds = ConcurrentHashMap.newKeySet();
    private final Map<String, String> paymentIdByKey = new ConcurrentHashMap<>();

    /** Records one answer to a payment request sent with {@code idempotencyKey}. */
    public void answered(String idempotencyKey, HttpApi.Answer answer) {
        answersByStatus.computeIfAbsent(answer.status(), status -> new LongAdder()).increment();
        if (answer.status() / 100 == 2) {
            accepted.increment();
        }
        String code = answer.status() >= 400 ? answer.errorCode() : null;
        if (code != null) {
            errorCodes.computeIfAbsent(code, c -> new LongAdder()).increment();
            if (answer.status() == 402) {
                (code.equals("fraud_blocked") ? fraudBlocked : otherDeclines).increment();
            }
        }
        String paymentId = answer.status() / 100 == 2 || answer.status() == 402 ? answer.paymentId() : null;
        if (paymentId != null) {
            paymentIds.add(paymentId);
            String earlier = paymentIdByKey.putIfAbsent(idempotencyKey, paymentId);
            if (earlier != null && !earlier.equals(paymentId)) {
                keysWithTwoPayments.increment();
            }
        }
    }

    /** Records a request that got no answer: a client timeout or a transport error. */
    public void unanswered(boolean timedOut) {
        (timedOut ? clientTimeouts : transportErrors).increment();
    }

    public static void record(Recorder recorder, long startNanos, long endNanos) {
        recorder.recordValue(micros(startNanos, endNanos));
    }

    public static void record(Histogram histogram, long startNanos, long endNanos) {
        histogram.recordValue(micros(startNanos, endNanos));
    }

    private static long micros(long startNanos, long endNanos) {
        return Math.min(LATENCY_MAX_MICROS, Math.max(0, (endNanos - startNanos) / 1_000));
    }

    /** Distinct payment ids the API named in its answers (2xx and 402). */
    public int distinctPaymentIds() {
        return paymentIds.size();
    }

    /** Idempotency keys that an answer tied to a payment. */
    public int keysWithPayment() {
        return paymentIdByKey.size();
    }

    public Map<Integer, Long> answersByStatus() {
        Map<Integer, Long> copy = new TreeMap<>();
        answersByStatus.forEach((status, count) -> copy.put(status, count.sum()));
        return copy;
    }

    public Map<String, Long> errorCodes() {
        Map<String, Long> copy = new TreeMap<>();
        errorCodes.forEach((code, count) -> copy.put(code, count.sum()));
        return copy;
    }

    /** A fresh histogram that {@link Recorder} intervals are added to. */
    public static Histogram newHistogram() {
        return new Histogram(LATENCY_MAX_MICROS, SIGNIFICANT_DIGITS);
    }
}
