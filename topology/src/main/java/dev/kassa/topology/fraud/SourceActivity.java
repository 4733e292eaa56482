package dev.kassa.topology.fraud;

import com.fasterxml.jackson.annotation.JsonFormat;
import dev.kassa.fraud.FeatureSnapshot;
import dev.kassa.model.FraudAssessment;
import dev.kassa.model.FraudDecision;
import dev.kassa.model.Payment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * What the fraud stage remembers about one source account: its payments counted in buckets of
 * three sizes, its declines, the destinations it paid in the last hour, and its latest decisions.
 * One value per source in the {@code fraud-activity} store, read and written once per payment, so
 * the work per payment is bounded by the bucket counts (60 + 60 + 24) and the destination cap, not
 * by how many payments a window holds.
 *
 * <p>The windows are counted in whole buckets: "1 minute" is the payment's second and the 59
 * before it, "1 hour" its minute and the 59 before, "24 hours" its hour and the 23 before. Every
 * payment goes into all three, so the windows nest. Time is the records' timestamps (the API's clock
 * when it accepted the payment), never the wall clock of the topology, so a replay after a crash and
 * a TopologyTestDriver test count exactly the same; buckets stamped later than the payment being
 * judged count too, since those payments happened. Buckets older than the largest timestamp seen
 * minus their window are dropped on every write.
 *
 * @param latestMs       the largest timestamp seen for this source
 * @param seconds        payments per epoch second, at most the last 60
 * @param minutes        payments per epoch minute, at most the last 60
 * @param hours          payments per epoch hour, at most the last 24
 * @param declineMinutes declined payments per epoch minute, at most the last 60
 * @param destinations   destinations paid in the last 60 minutes with the minute of the latest
 *                       payment to each, oldest first, at most {@link FeatureSnapshot#DISTINCT_DESTINATIONS_MAX}
 * @param decisions      the latest fraud decisions on this source's payments, oldest first, at most
 *                       {@link #DECISIONS_MAX}
 */
public record SourceActivity(
        long latestMs,
        List<Bucket> seconds,
        List<Bucket> minutes,
        List<Bucket> hours,
        List<Bucket> declineMinutes,
        List<PaidDestination> destinations,
        List<RecentDecision> decisions) {

    /** Decisions kept per source for operators. */
    public static final int DECISIONS_MAX = 10;

    /** After this long without a payment or decline, every window is empty and the entry can go. */
    public static final Duration IDLE_AFTER = Duration.ofHours(24);

    private static final long SECOND_MS = 1_000;
    private static final long MINUTE_MS = 60_000;
    private static final long HOUR_MS = 3_600_000;
    private static final int SECONDS_KEPT = 60;
    private static final int MINUTES_KEPT = 60;
    private static final int HOURS_KEPT = 24;

    /**
     * Payments (or declines) in one bucket.
     *
     * @param index the bucket's epoch second, minute or hour
     * @param count how many
     * @param sum   their amounts in minor units, saturating at {@link Long#MAX_VALUE}; 0 for declines
     */
    public record Bucket(long index, long count, long sum) {
    }

    /** A destination the source paid, and the epoch minute of its latest payment. */
    public record PaidDestination(String accountId, long minute) {
        public PaidDestination {
            Objects.requireNonNull(accountId, "accountId");
        }
    }

    /**
     * One decision, as operators see it on the state endpoint. Stored with {@code decidedAt} in epoch
     * milliseconds: ten of them are read with every payment of the source, and parsing ISO-8601
     * instants was about a quarter of the fraud stage's time. An ISO string, as written before, still reads.
     */
    public record RecentDecision(String paymentId, String destinationAccountId, long amount, String currency,
                                 FraudAssessment assessment, String ruleSetVersion,
                                 @JsonFormat(shape = JsonFormat.Shape.NUMBER_INT,
                                         without = {JsonFormat.Feature.WRITE_DATE_TIMESTAMPS_AS_NANOSECONDS,
                                                 JsonFormat.Feature.READ_DATE_TIMESTAMPS_AS_NANOSECONDS})
                                 Instant decidedAt) {
        public RecentDecision {
            Objects.requireNonNull(paymentId, "paymentId");
            Objects.requireNonNull(assessment, "assessment");
            Objects.requireNonNull(decidedAt, "decidedAt");
        }

        static RecentDecision of(FraudDecision decision) {
            return new RecentDecision(decision.paymentId(), decision.destinationAccountId(), decision.amount(),
                    decision.currency(), decision.assessment(), decision.ruleSetVersion(), decision.decidedAt());
        }
    }

    public SourceActivity {
        seconds = List.copyOf(seconds);
        minutes = List.copyOf(minutes);
        hours = List.copyOf(hours);
        declineMinutes = List.copyOf(declineMinutes);
        destinations = List.copyOf(destinations);
        decisions = List.copyOf(decisions);
    }

    /** A source never seen. */
    public static SourceActivity empty() {
        return new SourceActivity(Long.MIN_VALUE, List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
    }

    /** This activity with a payment of {@code amount} to {@code destination} at {@code timestampMs}. */
    public SourceActivity withPayment(String destination, long amount, long timestampMs) {
        return new SourceActivity(Math.max(latestMs, timestampMs),
                add(seconds, Math.floorDiv(timestampMs, SECOND_MS), amount),
                add(minutes, Math.floorDiv(timestampMs, MINUTE_MS), amount),
                add(hours, Math.floorDiv(timestampMs, HOUR_MS), amount),
                declineMinutes, paid(destination, Math.floorDiv(timestampMs, MINUTE_MS)), decisions);
    }

    /** This activity with one more declined payment at {@code timestampMs}. */
    public SourceActivity withDecline(long timestampMs) {
        return new SourceActivity(Math.max(latestMs, timestampMs), seconds, minutes, hours,
                add(declineMinutes, Math.floorDiv(timestampMs, MINUTE_MS), 0), destinations, decisions);
    }

    /** This activity remembering {@code decision}, forgetting the oldest beyond {@link #DECISIONS_MAX}. */
    public SourceActivity withDecision(FraudDecision decision) {
        List<RecentDecision> kept = new ArrayList<>(decisions);
        kept.add(RecentDecision.of(decision));
        return new SourceActivity(latestMs, seconds, minutes, hours, declineMinutes, destinations,
                kept.subList(Math.max(0, kept.size() - DECISIONS_MAX), kept.size()));
    }

    /**
     * The features of {@code payment}, already added with {@link #withPayment}, judged at its own
     * {@code timestampMs}; {@code paidBefore} comes from the store of paid destinations.
     */
    public FeatureSnapshot features(Payment payment, boolean paidBefore, long timestampMs) {
        Summary windows = summaryAt(timestampMs);
        return new FeatureSnapshot(payment.source(), payment.destination(), payment.amount(), payment.currency(),
                new FeatureSnapshot.Window(windows.count1m(), windows.sum1m()),
                new FeatureSnapshot.Window(windows.count1h(), windows.sum1h()),
                new FeatureSnapshot.Window(windows.count24h(), windows.sum24h()),
                (int) Math.min(FeatureSnapshot.DISTINCT_DESTINATIONS_MAX, windows.distinctDestinations1h()),
                paidBefore,
                (int) Math.min(Integer.MAX_VALUE, windows.declines1h()));
    }

    /**
     * The source's windows at {@code timestampMs}: what {@link #features} hands the rules, and what
     * operators see on the state endpoint without a payment being judged.
     */
    public Summary summaryAt(long timestampMs) {
        long second = Math.floorDiv(timestampMs, SECOND_MS);
        long minute = Math.floorDiv(timestampMs, MINUTE_MS);
        long hour = Math.floorDiv(timestampMs, HOUR_MS);
        return new Summary(count(seconds, second, SECONDS_KEPT), sum(seconds, second, SECONDS_KEPT),
                count(minutes, minute, MINUTES_KEPT), sum(minutes, minute, MINUTES_KEPT),
                count(hours, hour, HOURS_KEPT), sum(hours, hour, HOURS_KEPT),
                destinations.stream().filter(paid -> paid.minute() > minute - MINUTES_KEPT).count(),
                count(declineMinutes, minute, MINUTES_KEPT));
    }

    /** A source's velocity windows at one moment, named as in rule files. */
    public record Summary(long count1m, long sum1m, long count1h, long sum1h, long count24h, long sum24h,
                          long distinctDestinations1h, long declines1h) {
    }

    /** This activity without the buckets, destinations and declines that no window can reach any more. */
    public SourceActivity pruned() {
        long second = Math.floorDiv(latestMs, SECOND_MS);
        long minute = Math.floorDiv(latestMs, MINUTE_MS);
        long hour = Math.floorDiv(latestMs, HOUR_MS);
        return new SourceActivity(latestMs,
                recent(seconds, second - SECONDS_KEPT), recent(minutes, minute - MINUTES_KEPT),
                recent(hours, hour - HOURS_KEPT), recent(declineMinutes, minute - MINUTES_KEPT),
                destinations.stream().filter(paid -> paid.minute() > minute - MINUTES_KEPT).toList(), decisions);
    }

    /** Whether nothing in this activity can count any more at {@code streamTimeMs}: the purge may delete it. */
    public boolean isIdle(long streamTimeMs) {
        return latestMs == Long.MIN_VALUE || latestMs + IDLE_AFTER.toMillis() <= streamTimeMs;
    }

    private static List<Bucket> add(List<Bucket> buckets, long index, long amount) {
        List<Bucket> added = new ArrayList<>(buckets.size() + 1);
        boolean found = false;
        for (Bucket bucket : buckets) {
            if (bucket.index() == index) {
                added.add(new Bucket(index, bucket.count() + 1, saturatedSum(bucket.sum(), amount)));
                found = true;
            } else {
                added.add(bucket);
            }
        }
        if (!found) {
            added.add(new Bucket(index, 1, amount));
            added.sort((a, b) -> Long.compare(a.index(), b.index()));
        }
        return added;
    }

    /** The destinations with {@code destination} paid at {@code minute}, the oldest dropped beyond the cap. */
    private List<PaidDestination> paid(String destination, long minute) {
        List<PaidDestination> paid = new ArrayList<>(destinations.size() + 1);
        for (PaidDestination earlier : destinations) {
            if (!earlier.accountId().equals(destination)) {
                paid.add(earlier);
            }
        }
        paid.add(new PaidDestination(destination, minute));
        paid.sort((a, b) -> Long.compare(a.minute(), b.minute()));
        return paid.subList(Math.max(0, paid.size() - FeatureSnapshot.DISTINCT_DESTINATIONS_MAX), paid.size());
    }

    private static long count(List<Bucket> buckets, long current, int kept) {
        return fold(buckets, current, kept, Bucket::count);
    }

    private static long sum(List<Bucket> buckets, long current, int kept) {
        return fold(buckets, current, kept, Bucket::sum);
    }

    private static long fold(List<Bucket> buckets, long current, int kept,
                             ToLongFunction<Bucket> value) {
        long total = 0;
        for (Bucket bucket : buckets) {
            if (bucket.index() > current - kept) {
                total = saturatedSum(total, value.applyAsLong(bucket));
            }
        }
        return total;
    }

    /** A window's count and sum, as a bucket whose index is the window's length in seconds. */
    private static Bucket total(List<Bucket> buckets, long current, int kept, long lengthSeconds) {
        return new Bucket(lengthSeconds, count(buckets, current, kept), sum(buckets, current, kept));
    }

    private static List<Bucket> recent(List<Bucket> buckets, long oldestExcluded) {
        return buckets.stream().filter(bucket -> bucket.index() > oldestExcluded).toList();
    }

    private static long saturatedSum(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
