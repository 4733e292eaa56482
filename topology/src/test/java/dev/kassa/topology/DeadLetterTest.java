package dev.kassa.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kassa.fraud.FraudRules;
import dev.kassa.model.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadLetterTest {

    @TempDir
    Path stateDir;

    @Test
    void unreadableCommandGoesToTheDeadLetterTopicWithItsReasonAndProcessingContinues() {
        // Plan: publish bytes that are not a command, then a valid one. The bad record must appear on
        // the dead letter topic, unchanged, with the exception and its origin in headers, and the next
        // command must still be processed.
        //
        // Why at_least_once here only: TopologyTestDriver clears its mock producer's uncommitted sends
        // before it processes a record, and the handler writes the dead letter record while the record
        // is deserialized, before processing, so under exactly_once_v2 the driver discards it. On a
        // broker the record joins the task's open transaction and commits with the skipped offset; the
        // app module's integration tests check that.
        Map<String, Object> overrides = Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        StreamsSettings streams = StreamsSettings.embedded("unused:9092", stateDir);
        try (TopologyHarness harness = new TopologyHarness(streams, FraudRules.allowAll(), overrides)) {
            byte[] garbage = "{not json".getBytes(StandardCharsets.UTF_8);
            harness.driver()
                    .createInputTopic(Topics.PAYMENTS_COMMANDS.name(), new StringSerializer(), new ByteArraySerializer())
                    .pipeInput("mer_alpha:key-0", garbage, TopologyHarness.START);
            harness.openAccount("mer_alpha", "acct_alice", "usd");

            var deadLetters = harness.driver()
                    .createOutputTopic(Topics.DEAD_LETTER.name(), new ByteArrayDeserializer(), new ByteArrayDeserializer())
                    .readRecordsToList();

            assertThat(deadLetters).singleElement().satisfies(record -> {
                assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("mer_alpha:key-0");
                assertThat(record.value()).isEqualTo(garbage);
                assertThat(header(record, "__streams.errors.topic")).isEqualTo(Topics.PAYMENTS_COMMANDS.name());
                assertThat(header(record, "__streams.errors.offset")).isEqualTo("0");
                assertThat(header(record, "__streams.errors.exception")).endsWith("SerializationException");
                assertThat(header(record, "__streams.errors.message")).contains("cannot read Command");
            });
            assertThat(harness.accountEvents()).hasSize(1);
        }
    }

    @Test
    void unreadableLedgerLegStopsProcessingInsteadOfSkippingMoney() {
        // Plan: a leg is a record the topology wrote itself; if one cannot be read, skipping it could
        // leave a debit without its credit, so the task must fail and commit nothing past it.
        try (TopologyHarness harness = new TopologyHarness(stateDir)) {
            var legs = harness.driver().createInputTopic("kassa-topology-" + KassaTopology.LEDGER_CREDITS + "-repartition",
                    new StringSerializer(), new ByteArraySerializer());

            assertThatThrownBy(() -> legs.pipeInput("acct_bob", "{not json".getBytes(StandardCharsets.UTF_8),
                    TopologyHarness.START))
                    .isInstanceOf(StreamsException.class)
                    .hasStackTraceContaining("cannot read Leg");
        }
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("header %s", name).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
