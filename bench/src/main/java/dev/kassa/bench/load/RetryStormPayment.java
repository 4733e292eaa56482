package dev.kassa.bench.load;

import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One payment sent three times under one Idempotency-Key, as an impatient client would:
 * <ol>
 *   <li>attempt 1 at the intended time, with a short client timeout;</li>
 *   <li>attempt 2 at the same instant for even sequence numbers (two requests racing in flight), or,
 *       for odd ones, as soon as attempt 1 answered or timed out on the client (a retry after a timeout);</li>
 *   <li>attempt 3 once both are over, with the normal timeout: the answer the client keeps.</li>
 * </ol>
 * Every answer naming a payment is checked against the others of its key ({@link RunStats#keysWithTwoPayments});
 * Postgres is checked after the run for one payment row per key. Latency of attempts 1 and 2 is
 * measured from the intended time, of attempt 3 from its own send; the final-outcome latency is the
 * key's whole story, from the intended time to attempt 3's answer.
 */
public final class RetryStormPayment implements PaymentOperation {

    private final HttpApi api;
    private final PaymentPlan plan;
    private final RunStats stats;
    private final SinglePayment.EndToEndSink endToEnd;
    private final Duration clientTimeout;
    private final Duration timeout;

    public RetryStormPayment(HttpApi api, PaymentPlan plan, RunStats stats, SinglePayment.EndToEndSink endToEnd,
                             Duration clientTimeout, Duration timeout) {
        this.api = Objects.requireNonNull(api, "api");
        this.plan = Objects.requireNonNull(plan, "plan");
        this.stats = Objects.requireNonNull(stats, "stats");
        this.endToEnd = Objects.requireNonNull(endToEnd, "endToEnd");
        this.clientTimeout = Objects.requireNonNull(clientTimeout, "clientTimeout");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public void run(long sequence, long intendedStartNanos) throws InterruptedException {
        String key = plan.idempotencyKey(sequence);
        String body = plan.body(sequence);
        CompletableFuture<HttpApi.Answer> first = send(key, body, clientTimeout);
        boolean concurrent = sequence % 2 == 0;
        CompletableFuture<HttpApi.Answer> second = concurrent ? send(key, body, clientTimeout) : null;
        HttpApi.Answer firstAnswer = await(first, key, intendedStartNanos);
        HttpApi.Answer secondAnswer = concurrent ? await(second, key, intendedStartNanos)
                : await(send(key, body, clientTimeout), key, intendedStartNanos);
        long thirdStart = System.nanoTime();
        HttpApi.Answer finalAnswer = await(send(key, body, timeout), key, thirdStart);
        if (finalAnswer != null && (finalAnswer.status() == 201 || finalAnswer.status() == 402)) {
            RunStats.record(stats.finalOutcomeLatency, intendedStartNanos, System.nanoTime());
        }
        for (HttpApi.Answer answer : new HttpApi.Answer[] {firstAnswer, secondAnswer, finalAnswer}) {
            if (answer != null && answer.status() / 100 == 2 && answer.paymentId() != null) {
                endToEnd.accepted(sequence, answer.paymentId(), intendedStartNanos);
                return;
            }
        }
    }

    private CompletableFuture<HttpApi.Answer> send(String key, String body, Duration requestTimeout) {
        stats.requestsStarted.increment();
        return api.sendAsync(api.post("/v1/payments", plan.secretKey(), key, body, requestTimeout));
    }

    /** The attempt's answer, recorded; null when it timed out on the client or failed in transport. */
    private HttpApi.Answer await(CompletableFuture<HttpApi.Answer> attempt, String key, long startNanos)
            throws InterruptedException {
        try {
            HttpApi.Answer answer = attempt.get();
            RunStats.record(stats.apiLatency, startNanos, System.nanoTime());
            stats.answered(key, answer);
            return answer;
        } catch (ExecutionException e) {
            stats.unanswered(e.getCause() instanceof HttpTimeoutException);
            return null;
        } finally {
            stats.requestsFinished.increment();
        }
    }
}
