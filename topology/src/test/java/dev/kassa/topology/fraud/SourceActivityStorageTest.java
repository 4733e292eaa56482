package dev.kassa.topology.fraud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kassa.model.FraudAssessment;
import dev.kassa.model.JsonSerde;
import dev.kassa.topology.fraud.SourceActivity.Bucket;
import dev.kassa.topology.fraud.SourceActivity.PaidDestination;
import dev.kassa.topology.fraud.SourceActivity.RecentDecision;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/**
 * How a source's activity is stored in {@code fraud-activity}: binary, every field read back as
 * written; entries stored as JSON by earlier releases still read; damaged bytes are refused, never
 * read as some other activity.
 */
class SourceActivityStorageTest {

    private static final Instant DECIDED_AT = Instant.parse("2026-11-30T10:15:30.123Z");
    /** How releases before the binary form wrote the store, and how the legacy entries are made here. */
    private static final JsonSerde<SourceActivity> LEGACY_JSON = JsonSerde.of(SourceActivity.class);
    private final ObjectMapper tree = new ObjectMapper();

    @Property(tries = 300)
    void everyActivityReadsBackAsWritten(@ForAll("activities") SourceActivity activity) {
        byte[] stored = FraudStores.ACTIVITY_SERDE.serializer().serialize("changelog", activity);

        assertThat(stored[0]).as("format byte").isEqualTo(SourceActivitySerde.FORMAT);
        assertThat(FraudStores.ACTIVITY_SERDE.deserializer().deserialize("changelog", stored)).isEqualTo(activity);
    }

    @Property(tries = 100)
    void anEntryStoredAsJsonByAnEarlierReleaseStillReads(@ForAll("activities") SourceActivity activity) {
        // JSON keeps decision times to the millisecond, so compare with what JSON could hold.
        SourceActivity millis = withMillisecondDecisions(activity);
        byte[] legacy = LEGACY_JSON.toBytes(millis);

        assertThat(FraudStores.ACTIVITY_SERDE.deserializer().deserialize("changelog", legacy)).isEqualTo(millis);
    }

    @Test
    void aLegacyEntryWithAnIsoInstantStillReads() throws Exception {
        SourceActivity activity = activityWithOneDecision();
        ObjectNode older = (ObjectNode) tree.readTree(LEGACY_JSON.toBytes(activity));
        ((ObjectNode) older.get("decisions").get(0)).put("decidedAt", DECIDED_AT.toString());

        SourceActivity read = FraudStores.ACTIVITY_SERDE.deserializer()
                .deserialize("changelog", tree.writeValueAsString(older).getBytes(StandardCharsets.UTF_8));

        assertThat(read).isEqualTo(activity);
    }

    @Test
    void truncatedBytesAreRefusedAtEveryLength() {
        byte[] stored = FraudStores.ACTIVITY_SERDE.toBytes(activityWithOneDecision());
        for (int length = 0; length < stored.length; length++) {
            byte[] truncated = Arrays.copyOf(stored, length);
            assertThatThrownBy(() -> FraudStores.ACTIVITY_SERDE.fromBytes(truncated))
                    .as("%d of %d bytes", length, stored.length)
                    .isInstanceOf(SerializationException.class);
        }
    }

    @Test
    void trailingBytesAnUnknownFormatAndAnUnknownDecisionAreRefused() {
        byte[] stored = FraudStores.ACTIVITY_SERDE.toBytes(activityWithOneDecision());
        byte[] longer = Arrays.copyOf(stored, stored.length + 1);
        byte[] otherFormat = stored.clone();
        otherFormat[0] = 2;
        byte[] badDecision = stored.clone();
        // 18 is the zig-zag varint of 9.
        badDecision[indexOfDecisionCode(stored)] = 18;

        assertThatThrownBy(() -> FraudStores.ACTIVITY_SERDE.fromBytes(longer))
                .isInstanceOf(SerializationException.class).hasMessageContaining("left over");
        assertThatThrownBy(() -> FraudStores.ACTIVITY_SERDE.fromBytes(otherFormat))
                .isInstanceOf(SerializationException.class).hasMessageContaining("unknown format 2");
        assertThatThrownBy(() -> FraudStores.ACTIVITY_SERDE.fromBytes(badDecision))
                .isInstanceOf(SerializationException.class).hasMessageContaining("unknown decision code 9");
    }

    @Test
    void nullIsATombstoneBothWays() {
        assertThat(FraudStores.ACTIVITY_SERDE.serializer().serialize("changelog", null)).isNull();
        assertThat(FraudStores.ACTIVITY_SERDE.deserializer().deserialize("changelog", null)).isNull();
    }

    @Provide
    Arbitrary<SourceActivity> activities() {
        Arbitrary<List<Bucket>> buckets = Combinators.combine(Arbitraries.longs(), Arbitraries.longs().greaterOrEqual(0),
                Arbitraries.longs()).as(Bucket::new).list().ofMaxSize(60);
        Arbitrary<List<PaidDestination>> destinations = Combinators.combine(ids(), Arbitraries.longs())
                .as(PaidDestination::new).list().ofMaxSize(20);
        Arbitrary<FraudAssessment> assessments = Combinators.combine(Arbitraries.integers().between(0, 100),
                Arbitraries.of(FraudAssessment.Decision.class),
                Arbitraries.strings().withCharRange(' ', '~').withChars('é', '€', '中').ofMaxLength(80).list().ofMaxSize(4)).as(FraudAssessment::new);
        Arbitrary<Instant> instants = Combinators.combine(
                Arbitraries.longs().between(-10_000_000_000L, 10_000_000_000L),
                Arbitraries.integers().between(0, 999_999_999)).as(Instant::ofEpochSecond);
        Arbitrary<RecentDecision> decisions = Combinators.combine(ids(), ids().injectNull(0.2),
                Arbitraries.longs(), Arbitraries.of("usd", "eur", "jpy").injectNull(0.2), assessments,
                ids().injectNull(0.2), instants).as(RecentDecision::new);
        return Combinators.combine(Arbitraries.longs(), buckets, buckets, buckets, buckets, destinations,
                decisions.list().ofMaxSize(SourceActivity.DECISIONS_MAX)).as(SourceActivity::new);
    }

    /** Ids with characters beyond ASCII too, to catch a string written in one charset and read in another. */
    private static Arbitrary<String> ids() {
        return Arbitraries.strings().withCharRange('a', 'z').withChars('_', 'é', '€', '中').ofMinLength(1).ofMaxLength(40);
    }

    private static SourceActivity withMillisecondDecisions(SourceActivity activity) {
        List<RecentDecision> millis = activity.decisions().stream()
                .map(d -> new RecentDecision(d.paymentId(), d.destinationAccountId(), d.amount(), d.currency(),
                        d.assessment(), d.ruleSetVersion(), Instant.ofEpochMilli(d.decidedAt().toEpochMilli())))
                .toList();
        return new SourceActivity(activity.latestMs(), activity.seconds(), activity.minutes(), activity.hours(),
                activity.declineMinutes(), activity.destinations(), millis);
    }

    private static SourceActivity activityWithOneDecision() {
        RecentDecision decision = new RecentDecision("pay_1", "acct_dest", 1_250, "usd",
                new FraudAssessment(30, FraudAssessment.Decision.ALLOW, List.of("new-destination")), "default-1",
                DECIDED_AT);
        return new SourceActivity(DECIDED_AT.toEpochMilli(), List.of(new Bucket(5, 1, 1_250)), List.of(), List.of(),
                List.of(), List.of(new PaidDestination("acct_dest", 7)), List.of(decision));
    }

    /** The one byte where the stored activity differs from the same activity with a blocking decision. */
    private static int indexOfDecisionCode(byte[] stored) {
        RecentDecision allowed = activityWithOneDecision().decisions().get(0);
        RecentDecision blocked = new RecentDecision(allowed.paymentId(), allowed.destinationAccountId(),
                allowed.amount(), allowed.currency(), new FraudAssessment(allowed.assessment().score(),
                FraudAssessment.Decision.BLOCK, allowed.assessment().reasons()), allowed.ruleSetVersion(),
                allowed.decidedAt());
        SourceActivity activity = activityWithOneDecision();
        byte[] other = FraudStores.ACTIVITY_SERDE.toBytes(new SourceActivity(activity.latestMs(), activity.seconds(),
                activity.minutes(), activity.hours(), activity.declineMinutes(), activity.destinations(),
                List.of(blocked)));
        assertThat(other).hasSameSizeAs(stored);
        int index = Arrays.mismatch(stored, other);
        assertThat(Arrays.mismatch(Arrays.copyOfRange(stored, index + 1, stored.length),
                Arrays.copyOfRange(other, index + 1, other.length))).as("only the decision code differs").isEqualTo(-1);
        return index;
    }
}
