package dev.kassa.app.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kassa.app.TopicProvisioner;
import dev.kassa.fraud.FraudRules;
import dev.kassa.model.Command;
import dev.kassa.model.CreatePayment;
import dev.kassa.model.Ids;
import dev.kassa.model.OpenAccount;
import dev.kassa.model.PaymentEvent;
import dev.kassa.model.PaymentEventType;
import dev.kassa.model.PaymentKind;
import dev.kassa.model.Topics;
import dev.kassa.runtime.EmbeddedRuntime;
import dev.kassa.testing.CommittedRecords;
import dev.kassa.testing.DedicatedRuntime;
import dev.kassa.topology.KassaStreams;
import dev.kassa.topology.StoreLookup;
import dev.kassa.topology.StreamsSettings;
import dev.kassa.topology.TopologySettings;
import dev.kassa.topology.errors.FaultInjection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command the topology's first stages fail on, on a real broker under exactly_once_v2: it must be
 * set aside on {@code kassa.dead-letter} in the task's transaction, and the stream must go on.
 */
@Tag("integration")
@ExtendWith(DedicatedRuntime.class)
class CommandStageFailureIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String MERCHANT = "mer_stagefailure";
    private static final String POISON_KEY = "poison-payment";
    private static final int PARTITIONS = 3;
    private static final int PAYMENTS = 30;

    @TempDir
    Path stateDir;

    private final EmbeddedRuntime runtime;

    CommandStageFailureIT(EmbeddedRuntime runtime) {
        this.runtime = runtime;
    }

    @Test
    void commandTheTopologyCannotExecuteIsDeadLetteredOnceAndEveryOtherPaymentCompletes() {
        // Plan: a topology whose initiate stage fails on one payment command (an injected fault) runs
        // on the broker. Two accounts are opened and funded, then 30 payments of 10 are published with
        // the failing one and its retry among them. Read committed: every good payment completes
        // exactly once, no event names the failing payment, kassa.dead-letter holds both attempts with
        // their original bytes and the reason, the failing key is not remembered, and the topology is
        // still running, which a crash loop or a stopped task would not be.
        TopicProvisioner.ensureTopics(runtime.bootstrapServers(), PARTITIONS, (short) 1);
        FaultInjection poison = command -> {
            if (command.idempotencyKey().equals(POISON_KEY)) {
                throw new IllegalStateException("injected fault: cannot execute " + command.key());
            }
        };
        TopologySettings settings = TopologySettings.builder().fraudRules(FraudRules.allowAll())
                .ledgerPartitions(PARTITIONS).faults(poison).build();
        try (KassaStreams topology = KassaStreams.create(settings,
                // An advertised address, never served, lets the instance tell that it owns the key it is asked for.
                StreamsSettings.builder().bootstrapServers(runtime.bootstrapServers()).stateDir(stateDir)
                        .streamThreads(1).applicationServer("127.0.0.1:1").build());
             CommittedRecords topics = new CommittedRecords(runtime.bootstrapServers(), "CommandStageFailureIT")) {
            topology.start();
            CreatePayment poisonPayment = payment(POISON_KEY);
            List<CreatePayment> good = new ArrayList<>();
            try (CommandProducer producer = new CommandProducer(runtime.bootstrapServers())) {
                good.add(openAndFund(producer, topics));
                good.addAll(publish(producer, poisonPayment));
            }

            Map<String, List<String>> events = awaitCompleted(topics, good);
            assertThat(events).doesNotContainKey(poisonPayment.paymentId());
            assertThat(events).containsOnlyKeys(good.stream().map(CreatePayment::paymentId).toList());
            // Each is published once, by its completion at 1; a payment may take the long way (initiated
            // at 1, completed at 2) only if the topology's account directory, read by its own thread, had
            // not seen its destination's opening yet, and so may the deposit, decided at its treasury.
            assertThat(events).allSatisfy((payment, types) -> assertThat(types).as("events of %s", payment)
                    .isIn(List.of("1 PaymentCompleted"), List.of("1 PaymentInitiated", "2 PaymentCompleted")));
            assertDeadLettered(topics, poisonPayment);
            assertThat(topology.idempotencyKey(MERCHANT, POISON_KEY, poisonPayment.routingKey()))
                    .isInstanceOf(StoreLookup.NotFound.class);
            assertThat(topology.isRunning()).as("topology state %s", topology.state()).isTrue();
        }
    }

    /**
     * Opens both accounts and deposits into the payer, each step awaited: commands on different
     * partitions of payments.commands are not ordered, and a payment must not overtake its accounts.
     */
    private static CreatePayment openAndFund(CommandProducer producer, CommittedRecords topics) {
        Instant now = Instant.now();
        producer.send(new OpenAccount("acct_stagefailure_a", MERCHANT, "open-a", "usd", now, null));
        producer.send(new OpenAccount("acct_stagefailure_b", MERCHANT, "open-b", "usd", now, null)).flush();
        await("both accounts opened").atMost(WAIT)
                .until(() -> topics.readAll(Topics.ACCOUNTS_EVENTS.name(), WAIT).size(), count -> count == 2);
        CreatePayment deposit = new CreatePayment(Ids.next(Ids.PAYMENT, now), MERCHANT, "deposit",
                PaymentKind.DEPOSIT, 1_000, "usd", Ids.externalAccount("usd"), "acct_stagefailure_a", null,
                Map.of(), now, null);
        producer.send(deposit).flush();
        awaitCompleted(topics, List.of(deposit));
        return deposit;
    }

    /** Publishes the payments with {@code poison} twice among them; returns the good ones. */
    private static List<CreatePayment> publish(CommandProducer producer, CreatePayment poison) {
        List<CreatePayment> good = new ArrayList<>();
        for (int i = 0; i < PAYMENTS; i++) {
            if (i == PAYMENTS / 3 || i == 2 * PAYMENTS / 3) {
                producer.send(poison);
            }
            CreatePayment payment = payment("payment-" + i);
            good.add(payment);
            producer.send(payment);
        }
        producer.flush();
        return good;
    }

    private static CreatePayment payment(String key) {
        Instant now = Instant.now();
        return new CreatePayment(Ids.next(Ids.PAYMENT, now), MERCHANT, key, PaymentKind.PAYMENT, 10, "usd",
                "acct_stagefailure_a", "acct_stagefailure_b", null, Map.of(), now, null);
    }

    /** The events per payment, as {@code "sequence Type"}, once every payment of {@code expected} has completed. */
    private static Map<String, List<String>> awaitCompleted(CommittedRecords topics, List<CreatePayment> expected) {
        Set<String> ids = expected.stream().map(CreatePayment::paymentId).collect(Collectors.toSet());
        return await("every good payment completed").atMost(WAIT).until(
                () -> eventTypes(topics.readAll(Topics.PAYMENTS_EVENTS.name(), WAIT)),
                events -> ids.stream().allMatch(id -> events.getOrDefault(id, List.of()).stream()
                        .anyMatch(event -> event.endsWith(" " + PaymentEventType.PaymentCompleted))));
    }

    private static Map<String, List<String>> eventTypes(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream()
                .map(record -> Topics.PAYMENTS_EVENTS.valueSerde().deserializer()
                        .deserialize(Topics.PAYMENTS_EVENTS.name(), record.value()))
                .collect(Collectors.groupingBy(PaymentEvent::paymentId,
                        Collectors.mapping(event -> event.sequence() + " " + event.type(), Collectors.toList())));
    }

    private static void assertDeadLettered(CommittedRecords topics, Command poison) {
        byte[] bytes = Topics.PAYMENTS_COMMANDS.valueSerde().serializer()
                .serialize(Topics.PAYMENTS_COMMANDS.name(), poison);
        List<ConsumerRecord<byte[], byte[]>> deadLetters = await("both attempts on " + Topics.DEAD_LETTER.name())
                .atMost(WAIT)
                .until(() -> topics.readAll(Topics.DEAD_LETTER.name(), WAIT), records -> records.size() >= 2);
        assertThat(deadLetters).hasSize(2).allSatisfy(record -> {
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(poison.routingKey());
            assertThat(record.value()).isEqualTo(bytes);
            assertThat(header(record, "__streams.errors.topic")).isEqualTo(Topics.PAYMENTS_COMMANDS.name());
            assertThat(header(record, "__streams.errors.exception")).endsWith("IllegalStateException");
            assertThat(header(record, "__streams.errors.message")).contains("injected fault");
        });
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("header %s", name).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
