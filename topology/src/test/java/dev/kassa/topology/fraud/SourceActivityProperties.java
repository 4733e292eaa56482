package dev.kassa.topology.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.fraud.FeatureSnapshot;
import dev.kassa.model.CreatePayment;
import dev.kassa.model.FraudAssessment;
import dev.kassa.model.FraudDecision;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * {@link SourceActivity} against a brute-force model that keeps every payment with its exact
 * timestamp and counts, for each window, the payments whose bucket (second, minute or hour) lies
 * within the window's buckets of the judged payment's own. The model never buckets in advance and
 * never prunes, so it shares no code path with the class under test.
 */
class SourceActivityProperties {

    private static final long T0 = Instant.parse("2026-03-02T09:00:00Z").toEpochMilli();

    record Sent(long offsetMs, long amount, int destination) {
    }

    @Property(tries = 300)
    void featuresEqualTheBruteForceModelForPaymentsInTimeOrder(@ForAll("payments") @Size(min = 1, max = 60) List<Sent> sent) {
        List<Sent> ordered = sent.stream().sorted(Comparator.comparingLong(Sent::offsetMs)).toList();
        SourceActivity activity = SourceActivity.empty();
        List<Sent> seen = new ArrayList<>();
        for (Sent payment : ordered) {
            long at = T0 + payment.offsetMs();
            seen.add(payment);
            SourceActivity counted = activity.withPayment(destination(payment), payment.amount(), at);
            FeatureSnapshot features = counted.features(payment(payment, at), false, at);

            assertThat(features.lastMinute()).isEqualTo(window(seen, at, 1_000, 60));
            assertThat(features.lastHour()).isEqualTo(window(seen, at, 60_000, 60));
            assertThat(features.lastDay()).isEqualTo(window(seen, at, 3_600_000, 24));
            assertThat(features.distinctDestinationsLastHour()).isEqualTo(distinct(seen, at));
            activity = counted.pruned();
        }
        assertThat(activity.seconds()).hasSizeLessThanOrEqualTo(60);
        assertThat(activity.minutes()).hasSizeLessThanOrEqualTo(60);
        assertThat(activity.hours()).hasSizeLessThanOrEqualTo(24);
    }

    @Property(tries = 100)
    void declinesCountTheLastSixtyMinutes(@ForAll("offsets") @Size(min = 1, max = 40) List<Long> offsets) {
        List<Long> ordered = offsets.stream().sorted().toList();
        SourceActivity activity = SourceActivity.empty();
        for (int i = 0; i < ordered.size(); i++) {
            long at = T0 + ordered.get(i);
            long minute = Math.floorDiv(at, 60_000);
            long expected = ordered.subList(0, i).stream()
                    .filter(earlier -> Math.floorDiv(T0 + earlier, 60_000) > minute - 60).count();
            SourceActivity counted = activity.withPayment("acct_bob", 1, at);
            assertThat(counted.features(payment(new Sent(0, 1, 0), at), false, at).declinesLastHour())
                    .isEqualTo((int) expected);
            activity = counted.withDecline(at).pruned();
        }
    }

    @Test
    void distinctDestinationsSaturateAtTheirCapAndTheEntryStaysBounded() {
        SourceActivity activity = SourceActivity.empty();
        for (int i = 0; i < FeatureSnapshot.DISTINCT_DESTINATIONS_MAX + 50; i++) {
            activity = activity.withPayment("acct_" + i, 1, T0 + i).pruned();
        }
        long at = T0 + 5_000;
        SourceActivity counted = activity.withPayment("acct_new", 1, at);
        assertThat(counted.features(payment(new Sent(0, 1, 0), at), false, at).distinctDestinationsLastHour())
                .isEqualTo(FeatureSnapshot.DISTINCT_DESTINATIONS_MAX);
        assertThat(counted.destinations()).hasSize(FeatureSnapshot.DISTINCT_DESTINATIONS_MAX);
    }

    @Test
    void sumsSaturateInsteadOfOverflowing() {
        long at = T0;
        SourceActivity activity = SourceActivity.empty();
        for (int i = 0; i < 3; i++) {
            activity = activity.withPayment("acct_bob", Long.MAX_VALUE / 2, at);
        }
        assertThat(activity.summaryAt(at).sum1m()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void keepsTheLatestTenDecisionsAndIsIdleAfterADayWithoutActivity() {
        SourceActivity activity = SourceActivity.empty().withPayment("acct_bob", 1, T0);
        for (int i = 0; i < 15; i++) {
            Payment payment = payment(new Sent(i, 1, 0), T0);
            activity = activity.withDecision(FraudDecision.of(payment, FraudAssessment.ALLOWED, "v", Map.of(),
                    Instant.ofEpochMilli(T0 + i)));
        }
        assertThat(activity.decisions()).hasSize(SourceActivity.DECISIONS_MAX);
        assertThat(activity.decisions().get(0).decidedAt()).isEqualTo(Instant.ofEpochMilli(T0 + 5));
        assertThat(activity.isIdle(T0 + SourceActivity.IDLE_AFTER.toMillis() - 1)).isFalse();
        assertThat(activity.isIdle(T0 + SourceActivity.IDLE_AFTER.toMillis())).isTrue();
    }

    @Provide
    Arbitrary<List<Sent>> payments() {
        // Offsets cluster at several scales so that windows are often at their edges: within a minute,
        // an hour and two days.
        Arbitrary<Long> offsets = Arbitraries.oneOf(Arbitraries.longs().between(0, 120_000),
                Arbitraries.longs().between(0, 7_200_000), Arbitraries.longs().between(0, 172_800_000));
        Arbitrary<Sent> one = Combinators.combine(offsets, Arbitraries.longs().between(1, 99_999_999_999L),
                Arbitraries.integers().between(0, 5)).as(Sent::new);
        return one.list();
    }

    @Provide
    Arbitrary<List<Long>> offsets() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 600_000), Arbitraries.longs().between(0, 10_800_000))
                .list();
    }

    private static FeatureSnapshot.Window window(List<Sent> seen, long at, long bucketMs, int buckets) {
        long current = Math.floorDiv(at, bucketMs);
        List<Sent> inside = seen.stream()
                .filter(payment -> Math.floorDiv(T0 + payment.offsetMs(), bucketMs) > current - buckets).toList();
        long sum = 0;
        for (Sent payment : inside) {
            sum = Math.addExact(sum, payment.amount());
        }
        return new FeatureSnapshot.Window(inside.size(), sum);
    }

    private static int distinct(List<Sent> seen, long at) {
        long minute = Math.floorDiv(at, 60_000);
        Set<Integer> destinations = new HashSet<>();
        seen.stream().filter(payment -> Math.floorDiv(T0 + payment.offsetMs(), 60_000) > minute - 60)
                .forEach(payment -> destinations.add(payment.destination()));
        return destinations.size();
    }

    private static String destination(Sent payment) {
        return "acct_destination_" + payment.destination();
    }

    private static Payment payment(Sent sent, long at) {
        Instant when = Instant.ofEpochMilli(at);
        return Payment.pending(new CreatePayment("pay_" + String.format("%032x", sent.offsetMs()), "mer_alpha",
                "key-" + sent.offsetMs(), PaymentKind.PAYMENT, sent.amount(), "usd", "acct_source",
                destination(sent), null, Map.of(), when, null));
    }
}
