package dev.kassa.app.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kassa.model.Topics;
import dev.kassa.runtime.EmbeddedRuntime;
import dev.kassa.testing.DedicatedRuntime;
import dev.kassa.testing.EventLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record that is no event among the topology's output, and a command that cannot be read among
 * the commands, in the middle of the stream: each must be set aside with its reason and its original
 * bytes, and nothing else may be lost or stopped.
 */
@Tag("integration")
@ExtendWith(DedicatedRuntime.class)
class PoisonRecordIT {

    private static final byte[] POISON_EVENT = "{\"schemaVersion\": 1, \"poison\": true".getBytes(StandardCharsets.UTF_8);
    private static final byte[] POISON_COMMAND = "this is not a command".getBytes(StandardCharsets.UTF_8);
    private static final String POISON_EVENT_KEY = "poison-event";
    private static final String POISON_COMMAND_KEY = "poison-command";

    @TempDir
    Path directory;

    private final EmbeddedRuntime runtime;

    PoisonRecordIT(EmbeddedRuntime runtime) {
        this.runtime = runtime;
    }

    @Test
    void poisonRecordsAreSetAsideWithTheirBytesAndEverythingElseIsProcessed() throws Exception {
        // Plan: the topology and the sink run as processes; accounts are opened and funded and the
        // seeded load is sent. Once the topology has committed half of the load's events, the test
        // commits, in a Kafka transaction as the topology would, bytes that are no PaymentEvent to
        // payments.events, and publishes bytes that are no Command to payments.commands. After the
        // drain: the sink's dead_letters must hold the bad event once, with its offset, key, bytes and
        // reason; kassa.dead-letter must hold the bad command once, unchanged, with the reason in its
        // headers, and the sink's bad event once, published from dead_letters with its bytes, reason
        // and origin; and every other record must have been processed, which the oracle checks show.
        try (CrashHarness run = new CrashHarness("PoisonRecordIT", runtime, directory)) {
            run.startAndFund();
            long from = run.committedPaymentEvents();
            run.startLoad();
            run.awaitProgress("events committed by the topology", run::committedPaymentEvents,
                    from + run.loadEvents() / 2);
            EventLog.Sent poisonEvent = commitPoisonEvent();
            RecordMetadata poisonCommand = publishPoisonCommand();
            run.awaitDrained();

            assertPoisonEventDeadLettered(run, poisonEvent);
            List<ConsumerRecord<byte[], byte[]>> published = awaitDeadLetterTopic(run, 2);
            assertPoisonCommandDeadLettered(run, fromTopic(run, published, Topics.PAYMENTS_COMMANDS.name()),
                    poisonCommand);
            assertPoisonEventPublished(run, fromTopic(run, published, Topics.PAYMENTS_EVENTS.name()), poisonEvent);
            run.checks().retriesReplayedOnce();
            run.checks().balanceStoreMatchesOracle();
            run.checks().ledgerMatchesOracle();
            run.checks().ledgerVerifies();
        }
    }

    private EventLog.Sent commitPoisonEvent() {
        try (EventLog log = new EventLog(runtime.bootstrapServers(), "crash-harness-poison")) {
            log.begin();
            log.raw(Topics.PAYMENTS_EVENTS.name(), 0, POISON_EVENT_KEY, POISON_EVENT);
            return log.commit().get(0);
        }
    }

    private RecordMetadata publishPoisonCommand() {
        try (CommandProducer producer = new CommandProducer(runtime.bootstrapServers())) {
            return producer.sendRaw(POISON_COMMAND_KEY, POISON_COMMAND).flush().get(0);
        }
    }

    private static void assertPoisonEventDeadLettered(CrashHarness run, EventLog.Sent poison) {
        List<ConsumerRecord<byte[], byte[]>> unreadable = run.checks().paymentEventsExactlyOnce();
        assertThat(unreadable).as("%s records on payments.events that are no event", run.replay()).hasSize(1);
        assertThat(unreadable.get(0).offset()).as("%s offset of the record that is no event", run.replay())
                .isEqualTo(poison.offset());
        List<List<String>> deadLetters = run.sql().query("SELECT topic, partition::text, record_offset::text,"
                + " encode(raw_key, 'escape'), encode(raw_value, 'escape'), reason FROM dead_letters");
        assertThat(deadLetters).as("%s the sink's dead letters", run.replay()).hasSize(1);
        List<String> row = deadLetters.get(0);
        assertThat(row.subList(0, 5)).as("%s the dead letter's origin and bytes", run.replay()).containsExactly(
                poison.partition().topic(), Integer.toString(poison.partition().partition()),
                Long.toString(poison.offset()), POISON_EVENT_KEY, new String(POISON_EVENT, StandardCharsets.UTF_8));
        assertThat(row.get(5)).as("%s the dead letter's reason", run.replay()).contains("cannot read PaymentEvent");
    }

    /**
     * The records of {@code kassa.dead-letter} once it holds {@code count}: the sink publishes its dead
     * letters from Postgres after the batch that recorded them commits, so they may trail the drain.
     */
    private static List<ConsumerRecord<byte[], byte[]>> awaitDeadLetterTopic(CrashHarness run, int count) {
        List<ConsumerRecord<byte[], byte[]>> records = await(run.replay() + " records on " + Topics.DEAD_LETTER.name())
                .atMost(Duration.ofSeconds(60))
                .until(() -> run.topics().readAll(Topics.DEAD_LETTER.name(), Duration.ofSeconds(60)),
                        read -> read.size() >= count);
        assertThat(records).as("%s records on %s", run.replay(), Topics.DEAD_LETTER.name()).hasSize(count);
        return records;
    }

    /** The one dead letter whose {@code __streams.errors.topic} header names {@code topic}. */
    private static ConsumerRecord<byte[], byte[]> fromTopic(CrashHarness run, List<ConsumerRecord<byte[], byte[]>> records,
                                                            String topic) {
        List<ConsumerRecord<byte[], byte[]>> matching = records.stream()
                .filter(record -> record.headers().lastHeader("__streams.errors.topic") != null
                        && topic.equals(header(run, record, "__streams.errors.topic")))
                .toList();
        assertThat(matching).as("%s records on %s set aside from %s", run.replay(), Topics.DEAD_LETTER.name(), topic)
                .hasSize(1);
        return matching.get(0);
    }

    private static void assertPoisonEventPublished(CrashHarness run, ConsumerRecord<byte[], byte[]> record,
                                                   EventLog.Sent poison) {
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).as("%s the dead-lettered event's key",
                run.replay()).isEqualTo(POISON_EVENT_KEY);
        assertThat(record.value()).as("%s the dead-lettered event's bytes", run.replay()).isEqualTo(POISON_EVENT);
        assertThat(header(run, record, "__streams.errors.partition"))
                .as("%s header __streams.errors.partition", run.replay())
                .isEqualTo(Integer.toString(poison.partition().partition()));
        assertThat(header(run, record, "__streams.errors.offset"))
                .as("%s header __streams.errors.offset", run.replay()).isEqualTo(Long.toString(poison.offset()));
        assertThat(header(run, record, "__streams.errors.message"))
                .as("%s header __streams.errors.message", run.replay()).contains("cannot read PaymentEvent");
        assertThat(header(run, record, "__streams.errors.exception"))
                .as("%s header __streams.errors.exception", run.replay()).isEqualTo("dev.kassa.ledger.DeadLetterRecord");
    }

    private static void assertPoisonCommandDeadLettered(CrashHarness run, ConsumerRecord<byte[], byte[]> record,
                                                        RecordMetadata poison) {
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).as("%s the dead-lettered command's key",
                run.replay()).isEqualTo(POISON_COMMAND_KEY);
        assertThat(record.value()).as("%s the dead-lettered command's bytes", run.replay()).isEqualTo(POISON_COMMAND);
        assertThat(header(run, record, "__streams.errors.partition"))
                .as("%s header __streams.errors.partition", run.replay()).isEqualTo(Integer.toString(poison.partition()));
        assertThat(header(run, record, "__streams.errors.offset"))
                .as("%s header __streams.errors.offset", run.replay()).isEqualTo(Long.toString(poison.offset()));
        assertThat(header(run, record, "__streams.errors.exception"))
                .as("%s header __streams.errors.exception", run.replay()).endsWith("SerializationException");
        assertThat(header(run, record, "__streams.errors.message"))
                .as("%s header __streams.errors.message", run.replay()).contains("cannot read Command");
    }

    private static String header(CrashHarness run, ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("%s header %s of the dead letter", run.replay(), name).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
