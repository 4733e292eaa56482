package dev.kassa.bench.load;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;

/** One {@code POST /v1/payments} per operation: steady, flash sale and latency runs. */
public final class SinglePayment implements PaymentOperation {

    private final HttpApi api;
    private final PaymentPlan plan;
    private final RunStats stats;
    private final EndToEndSink endToEnd;
    private final Duration timeout;

    /** Where accepted payments go to have their commit in the ledger timed. */
    @FunctionalInterface
    public interface EndToEndSink {
        void accepted(long sequence, String paymentId, long intendedStartNanos);
    }

    public SinglePayment(HttpApi api, PaymentPlan plan, RunStats stats, EndToEndSink endToEnd, Duration timeout) {
        this.api = Objects.requireNonNull(api, "api");
        this.plan = Objects.requireNonNull(plan, "plan");
        this.stats = Objects.requireNonNull(stats, "stats");
        this.endToEnd = Objects.requireNonNull(endToEnd, "endToEnd");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public void run(long sequence, long intendedStartNanos) throws InterruptedException {
        String key = plan.idempotencyKey(sequence);
        stats.requestsStarted.increment();
        try {
            HttpApi.Answer answer = api.send(api.post("/v1/payments", plan.secretKey(), key, plan.body(sequence), timeout));
            long end = System.nanoTime();
            RunStats.record(stats.apiLatency, intendedStartNanos, end);
            if (answer.status() == 201 || answer.status() == 402) {
                RunStats.record(stats.finalOutcomeLatency, intendedStartNanos, end);
            }
            stats.answered(key, answer);
            if (answer.status() / 100 == 2) {
                String paymentId = answer.paymentId();
                if (paymentId != null) {
                    endToEnd.accepted(sequence, paymentId, intendedStartNanos);
                }
            }
        } catch (HttpTimeoutException e) {
            stats.unanswered(true);
        } catch (IOException e) {
            stats.unanswered(false);
        } finally {
            stats.requestsFinished.increment();
        }
    }
}
