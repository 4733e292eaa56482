package dev.kassa.app.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.app.runtime.EmbeddedRuntime;
import dev.kassa.app.runtime.RuntimeConfig;
import dev.kassa.model.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record that is no event among the topology's output, and a command that cannot be read among
 * the commands, in the middle of the stream: each must be set aside with its reason and its original
 * bytes, and nothing else may be lost or stopped.
 */
@Tag("integration")
class PoisonRecordIT {

    private static final byte[] POISON_EVENT = "{\"schemaVersion\": 1, \"poison\": true".getBytes(StandardCharsets.UTF_8);
    private static final byte[] POISON_COMMAND = "this is not a command".getBytes(StandardCharsets.UTF_8);
    private static final String POISON_EVENT_KEY = "poison-event";
    private static final String POISON_COMMAND_KEY = "poison-command";

    @TempDir
    static Path directory;

    private static EmbeddedRuntime runtime;

    @BeforeAll
    static void startDedicatedRuntime() {
        runtime = EmbeddedRuntime.start(RuntimeConfig.withFreePorts(directory.resolve("runtime")));
    }

    @AfterAll
    static void stopDedicatedRuntime() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @Test
    void poisonRecordsAreSetAsideWithTheirBytesAndEverythingElseIsProcessed() throws Exception {
        // Plan: the topology and the sink run as processes; accounts are opened and funded and the
        // seeded load is sent. Once the topology has committed half of the load's events, the test
        // commits, in a Kafka transaction as the topology would, bytes that are no PaymentEvent to
        // payments.events, and publishes bytes that are no Command to payments.commands. After the
        // drain: the sink's dead_letters must hold the bad event once, with its offset, key, bytes and
        // reason; kassa.dead-letter must hold the bad command once, unchanged, with the reason in its
        // headers; and every other record must have been processed, which the oracle checks show.
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
            assertPoisonCommandDeadLettered(run, poisonCommand);
            run.checks().retriesReplayedOnce();
            run.checks().balanceStoreMatchesOracle();
            run.checks().ledgerMatchesOracle();
            run.checks().ledgerVerifies();
        }
    }

    private static EventLog.Sent commitPoisonEvent() {
        try (EventLog log = new EventLog(runtime.bootstrapServers(), "crash-harness-poison")) {
            log.begin();
            log.raw(Topics.PAYMENTS_EVENTS.name(), 0, POISON_EVENT_KEY, POISON_EVENT);
            return log.commit().get(0);
        }
    }

    private static RecordMetadata publishPoisonCommand() {
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

    private static void assertPoisonCommandDeadLettered(CrashHarness run, RecordMetadata poison) {
        List<ConsumerRecord<byte[], byte[]>> deadLetters =
                run.topics().readAll(Topics.DEAD_LETTER.name(), Duration.ofSeconds(60));
        assertThat(deadLetters).as("%s records on %s", run.replay(), Topics.DEAD_LETTER.name()).hasSize(1);
        ConsumerRecord<byte[], byte[]> record = deadLetters.get(0);
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).as("%s the dead-lettered command's key",
                run.replay()).isEqualTo(POISON_COMMAND_KEY);
        assertThat(record.value()).as("%s the dead-lettered command's bytes", run.replay()).isEqualTo(POISON_COMMAND);
        assertThat(header(run, record, "__streams.errors.topic"))
                .as("%s header __streams.errors.topic", run.replay()).isEqualTo(Topics.PAYMENTS_COMMANDS.name());
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
        assertThat(header).as("%s header %s of the dead-lettered command", run.replay(), name).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
