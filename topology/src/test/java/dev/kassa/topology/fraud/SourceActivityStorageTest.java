package dev.kassa.topology.fraud;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kassa.model.FraudAssessment;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a source's activity is stored in {@code fraud-activity}, and that entries written before still read. */
class SourceActivityStorageTest {

    private static final Instant DECIDED_AT = Instant.parse("2026-11-30T10:15:30.123Z");
    private final ObjectMapper tree = new ObjectMapper();

    @Test
    void decisionTimesAreStoredAsEpochMillisecondsAndReadBack() throws Exception {
        SourceActivity activity = activityWithOneDecision();

        byte[] stored = FraudStores.ACTIVITY_SERDE.serializer().serialize("changelog", activity);

        JsonNode decidedAt = tree.readTree(stored).get("decisions").get(0).get("decidedAt");
        assertThat(decidedAt.isIntegralNumber()).as("decidedAt stored as %s", decidedAt).isTrue();
        assertThat(decidedAt.longValue()).isEqualTo(DECIDED_AT.toEpochMilli());
        assertThat(FraudStores.ACTIVITY_SERDE.deserializer().deserialize("changelog", stored)).isEqualTo(activity);
    }

    @Test
    void anEntryWrittenWithAnIsoInstantStillReads() throws Exception {
        SourceActivity activity = activityWithOneDecision();
        ObjectNode older = (ObjectNode) tree.readTree(FraudStores.ACTIVITY_SERDE.serializer().serialize("changelog", activity));
        ((ObjectNode) older.get("decisions").get(0)).put("decidedAt", DECIDED_AT.toString());

        SourceActivity read = FraudStores.ACTIVITY_SERDE.deserializer()
                .deserialize("changelog", tree.writeValueAsString(older).getBytes(StandardCharsets.UTF_8));

        assertThat(read).isEqualTo(activity);
    }

    private static SourceActivity activityWithOneDecision() {
        SourceActivity.RecentDecision decision = new SourceActivity.RecentDecision("pay_1", "acct_dest", 1_250, "usd",
                new FraudAssessment(30, FraudAssessment.Decision.ALLOW, List.of("new-destination")), "default-1",
                DECIDED_AT);
        return new SourceActivity(DECIDED_AT.toEpochMilli(), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(decision));
    }
}
