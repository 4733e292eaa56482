package dev.kassa.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kassa.fraud.FraudRules;
import dev.kassa.model.CreatePayment;
import dev.kassa.model.DeclineCode;
import dev.kassa.model.Ids;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentEvent;
import dev.kassa.model.PaymentEventType;
import dev.kassa.model.PaymentKind;
import dev.kassa.model.Topics;
import dev.kassa.topology.authorize.Leg;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
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
        StreamsSettings streams = StreamsSettings.builder().bootstrapServers("unused:9092").stateDir(stateDir).build();
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

    @Test
    void commandThatInitiateCannotExecuteIsSetAsideWithoutItsKeyAndProcessingContinues() {
        // Plan: initiate is made to fail on one payment command (the injected fault stands for a bug or
        // a command no check foresaw), between two good ones, and the failing command is then retried.
        // Each attempt must reach the dead letter topic with its original bytes and the exception; the
        // failing key must not be remembered (a retry would otherwise be answered with a payment that
        // never existed); no event may name the failed payment; both good payments must complete.
        String poisonKey = "key-poison";
        TopologySettings faulty = TopologySettings.builder().fraudRules(FraudRules.allowAll()).ledgerPartitions(3)
                .faults(command -> {
                    if (command.idempotencyKey().equals(poisonKey)) {
                        throw new IllegalStateException("injected fault for " + command.key());
                    }
                }).build();
        try (TopologyHarness harness = new TopologyHarness(StreamsSettings.builder().bootstrapServers("unused:9092").stateDir(stateDir).build(), faulty,
                Map.of())) {
            harness.openAccount("mer_alpha", "acct_alice", "usd");
            harness.openAccount("mer_alpha", "acct_bob", "usd");
            harness.send(harness.deposit("mer_alpha", "acct_alice", 1_000, "usd"), TopologyHarness.START);
            CreatePayment first = harness.pay("mer_alpha", "acct_alice", "acct_bob", 100, "usd");
            CreatePayment poison = poisonPayment(poisonKey, TopologyHarness.START.plusSeconds(30));
            harness.send(poison, poison.requestedAt());
            harness.send(poison, poison.requestedAt().plusSeconds(1));
            CreatePayment last = harness.pay("mer_alpha", "acct_alice", "acct_bob", 200, "usd");

            var deadLetters = harness.driver()
                    .createOutputTopic(Topics.DEAD_LETTER.name(), new ByteArrayDeserializer(), new ByteArrayDeserializer())
                    .readRecordsToList();
            byte[] poisonBytes = Topics.PAYMENTS_COMMANDS.valueSerde().serializer()
                    .serialize(Topics.PAYMENTS_COMMANDS.name(), poison);
            assertThat(deadLetters).hasSize(2).allSatisfy(record -> {
                assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(poison.routingKey());
                assertThat(record.value()).isEqualTo(poisonBytes);
                assertThat(header(record, "__streams.errors.topic")).isEqualTo(Topics.PAYMENTS_COMMANDS.name());
                assertThat(header(record, "__streams.errors.exception")).endsWith("IllegalStateException");
                assertThat(header(record, "__streams.errors.message")).contains("injected fault");
            });
            assertThat(harness.idempotencyEntry(poison.key())).isEmpty();
            assertThat(harness.idempotencyEntry(first.key())).isPresent();
            List<PaymentEvent> events = harness.paymentEvents().stream().map(record -> record.value()).toList();
            assertThat(events).noneMatch(event -> event.paymentId().equals(poison.paymentId()));
            assertThat(events).filteredOn(event -> event.type() == PaymentEventType.PaymentCompleted)
                    .extracting(PaymentEvent::paymentId)
                    .contains(first.paymentId(), last.paymentId());
            assertThat(harness.balances("acct_alice", "acct_bob"))
                    .containsExactlyInAnyOrderEntriesOf(Map.of("acct_alice", 700L, "acct_bob", 300L));
        }
    }

    @Test
    void ledgerStageThatThrowsStopsProcessingInsteadOfSkippingMoney() {
        // Plan: a reversal gives back to a source what its debit took; one whose source the balance
        // store does not hold is a broken invariant. The stage throws, and that must fail the task,
        // not set the leg aside: skipping a reversal would lose the amount.
        try (TopologyHarness harness = new TopologyHarness(stateDir)) {
            Instant at = TopologyHarness.START;
            Payment payment = Payment.pending(new CreatePayment(Ids.next(Ids.PAYMENT, at), "mer_alpha", "key-1",
                    PaymentKind.PAYMENT, 100, "usd", "acct_nobody", "acct_bob", "test", Map.of(), at, null));
            var reversals = harness.driver().createInputTopic(
                    "kassa-topology-" + KassaTopology.LEDGER_REVERSALS + "-repartition",
                    new StringSerializer(), Leg.SERDE.serializer());

            assertThatThrownBy(() -> reversals.pipeInput("acct_nobody",
                    new Leg.Reverse(payment, DeclineCode.ACCOUNT_NOT_FOUND), at))
                    .isInstanceOf(StreamsException.class)
                    .hasStackTraceContaining("not in the balance store");
            var deadLetters = harness.driver()
                    .createOutputTopic(Topics.DEAD_LETTER.name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
            assertThat(deadLetters.isEmpty()).isTrue();
        }
    }

    private static CreatePayment poisonPayment(String key, Instant at) {
        return new CreatePayment(Ids.next(Ids.PAYMENT, at), "mer_alpha", key, PaymentKind.PAYMENT, 50, "usd",
                "acct_alice", "acct_bob", "test", Map.of(), at, null);
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("header %s", name).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
