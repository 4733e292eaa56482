package dev.kassa.bench.report;

import dev.kassa.bench.measure.LedgerProbe;
import dev.kassa.bench.measure.Progress;
import dev.kassa.ledger.verify.InvariantResult;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.HdrHistogram.Histogram;

/**
 * Everything one run measured, as the console table, the JSON file and the HTML page show it.
 * Rates are per second of the load's duration; latencies in milliseconds.
 *
 * @param label              e.g. {@code flash-sale} or {@code baseline-flash-sale}
 * @param operations         operations the load generator started (a retry-storm operation is three requests)
 * @param accepted           2xx answers
 * @param acceptedPerSecond  2xx answers per second of load
 * @param completedPerSecond payments whose ledger rows were committed in Postgres during the load, per second; -1 if unknown
 * @param completedAfterDrain payments completed in Postgres once the ledger caught up; -1 if unknown
 * @param drainSeconds       how long after the load the ledger took to catch up (or the drain timeout)
 * @param apiLatency         every answer, from the intended send time
 * @param finalOutcomeLatency answers carrying a final outcome (201, 402); a retry storm's from its first attempt
 * @param endToEnd           sampled payments, intended send time to ledger rows seen committed
 * @param fraudBlocked       402 fraud_blocked answers
 * @param checks             the counts proving nothing was lost or doubled, and the verifier's results
 * @param topology           where the topology's stream threads spent the load; null for the baseline and with
 *                           {@code --target}
 * @param cpu                what the load cost in CPU per payment answered (see
 *                           {@link dev.kassa.bench.measure.CpuMeter}); null when no payment was answered
 * @param timeline           one point per second of load
 */
public record RunResult(String label, String scenario, String system, String mode, double durationSeconds,
                        long operations, Map<Integer, Long> answersByStatus, Map<String, Long> errorCodes,
                        long accepted, double acceptedPerSecond, double completedPerSecond, long completedAfterDrain,
                        double drainSeconds, Latency apiLatency, Latency finalOutcomeLatency, EndToEnd endToEnd,
                        long fraudBlocked, long otherDeclines, long clientTimeouts, long transportErrors,
                        Checks checks, TopologyTime topology, CpuUse cpu, List<Progress.Point> timeline) {

    /** A latency distribution in milliseconds. */
    public record Latency(long count, double p50Ms, double p99Ms, double p999Ms, double maxMs) {

        public static Latency of(Histogram histogram) {
            if (histogram.getTotalCount() == 0) {
                return new Latency(0, 0, 0, 0, 0);
            }
            return new Latency(histogram.getTotalCount(), millis(histogram.getValueAtPercentile(50)),
                    millis(histogram.getValueAtPercentile(99)), millis(histogram.getValueAtPercentile(99.9)),
                    millis(histogram.getMaxValue()));
        }

        private static double millis(long micros) {
            return micros / 1_000.0;
        }
    }

    /**
     * End-to-end latency of a sample.
     *
     * @param sampleEvery  one accepted payment in this many was timed
     * @param resolutionMs each figure over-states the truth by at most this poll interval (plus one query)
     * @param unresolved   sampled payments never seen in the ledger (e.g. accepted pending, then declined)
     * @param dropped      samples not taken because too many were already waiting
     */
    public record EndToEnd(Latency latency, long sampleEvery, long resolutionMs, long unresolved, long dropped) {
    }

    /**
     * Where the topology's stream threads spent the load, from Kafka's client metrics (see
     * {@link dev.kassa.bench.measure.TopologyProfile}).
     *
     * @param commitsPerSecond       transactions committed per second, all stream threads
     * @param recordsPerSecond       records processed per second (commands, legs; each payment is several)
     * @param flushMsPerCommit       the Streams producer's {@code flush} per commit: waiting for every record of
     *                               the transaction to be acknowledged
     * @param sendOffsetsMsPerCommit {@code sendOffsetsToTransaction} per commit
     * @param commitTxnMsPerCommit   {@code commitTransaction} per commit
     * @param transactionShare       flush, offsets and commit as a share of the load's wall-clock time (per
     *                               thread, summed over threads)
     * @param pollRatio              share of the stream threads' time in {@code poll}, Kafka's average over its
     *                               last metrics window; likewise {@code processRatio} and {@code commitRatio}
     */
    public record TopologyTime(double commitsPerSecond, double recordsPerSecond, double flushMsPerCommit,
                               double sendOffsetsMsPerCommit, double commitTxnMsPerCommit, double transactionShare,
                               double pollRatio, double processRatio, double commitRatio) {
    }

    /**
     * The CPU the load window cost, per payment answered in it.
     *
     * @param machineCpus          CPUs of the machine; -1 without {@code /proc/stat}
     * @param machineBusyShare     share of the machine's CPU time that was busy (0 to 1); -1 if unknown
     * @param jvmCpuMsPerPayment   this JVM's CPU milliseconds per payment; -1 if unknown
     * @param jvmCompileMsPerPayment of which the JIT compilers' (their elapsed time, which is CPU time on
     *                             their own threads); -1 if unknown
     * @param machineCpuMsPerPayment the machine's busy CPU milliseconds per payment, every process
     *                             included; -1 if unknown
     * @param jvmCpuMsPerPaymentByComponent this JVM's CPU milliseconds per payment by component (see
     *                             {@link dev.kassa.bench.measure.ThreadComponents}), largest first; threads
     *                             that ended during the load are missing; empty without per-thread counters
     */
    public record CpuUse(int machineCpus, double machineBusyShare, double jvmCpuMsPerPayment,
                         double jvmCompileMsPerPayment, double machineCpuMsPerPayment,
                         Map<String, Double> jvmCpuMsPerPaymentByComponent) {

        public CpuUse {
            // A copy that keeps the order, largest first, which Map.copyOf would not.
            jvmCpuMsPerPaymentByComponent = Collections.unmodifiableMap(new LinkedHashMap<>(
                    Objects.requireNonNull(jvmCpuMsPerPaymentByComponent, "jvmCpuMsPerPaymentByComponent")));
        }
    }

    /**
     * What proves the run lost and doubled nothing.
     *
     * @param apiPaymentIds            distinct payment ids the API answered with (2xx, and 402 for Kassa)
     * @param keysAnsweredWithPayment  idempotency keys an answer tied to a payment
     * @param unansweredKeys           keys sent that no answer tied to a payment (timeouts, 409, 5xx)
     * @param keysWithTwoPaymentsInAnswers keys whose answers named two different payments: must be 0
     * @param persisted                the merchant's payments in Postgres; null without Postgres
     * @param lost                     answered payment ids missing from Postgres (count difference, ≥ 0)
     * @param extra                    payments in Postgres beyond the answered ones; at most unansweredKeys
     * @param verifier                 {@code kassa ledger verify} (or the baseline's checks)
     * @param holds                    every check above holds
     */
    public record Checks(long apiPaymentIds, long keysAnsweredWithPayment, long unansweredKeys,
                         long keysWithTwoPaymentsInAnswers, LedgerProbe.PersistedCounts persisted, long lost, long extra,
                         List<InvariantResult> verifier, boolean holds) {
    }
}
