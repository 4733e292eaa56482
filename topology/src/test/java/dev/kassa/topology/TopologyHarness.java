package dev.kassa.topology;

import dev.kassa.fraud.FraudRules;
import dev.kassa.model.AccountEvent;
import dev.kassa.model.CardCharge;
import dev.kassa.model.CardChargeResult;
import dev.kassa.model.Command;
import dev.kassa.model.CommandReplay;
import dev.kassa.model.CreatePayment;
import dev.kassa.model.CreateRefund;
import dev.kassa.model.FraudDecision;
import dev.kassa.model.Ids;
import dev.kassa.model.OpenAccount;
import dev.kassa.model.PaymentEvent;
import dev.kassa.model.PaymentKind;
import dev.kassa.model.Topics;
import dev.kassa.topology.accounts.AccountDirectory;
import dev.kassa.topology.authorize.AccountBalance;
import dev.kassa.topology.authorize.Leg;
import dev.kassa.topology.dedupe.IdempotencyEntry;
import dev.kassa.topology.refund.RefundablePayment;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Drives the real topology, built by {@link KassaTopology} from {@link StreamsSettings}, with
 * TopologyTestDriver. Every command gets an explicit timestamp one second after the previous one,
 * so events' {@code occurredAt} can be asserted exactly.
 */
final class TopologyHarness implements AutoCloseable {

    static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

    private final StreamsSettings streams;
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, Command> commands;
    private final TestOutputTopic<String, PaymentEvent> paymentEvents;
    private final TestOutputTopic<String, AccountEvent> accountEvents;
    private final TestOutputTopic<String, CommandReplay> replays;
    private final TestOutputTopic<String, FraudDecision> fraudDecisions;
    private final TestInputTopic<String, byte[]> fraudRules;
    private final TestInputTopic<String, CardChargeResult> cardResults;
    private final TestOutputTopic<String, CardCharge> cardCharges;
    private Instant clock = START;
    private int keys;

    TopologyHarness(Path stateDir) {
        this(stateDir, FraudRules.allowAll());
    }

    TopologyHarness(Path stateDir, FraudRules rules) {
        this(StreamsSettings.builder().bootstrapServers("unused:9092").stateDir(stateDir).build(), rules, Map.of());
    }

    TopologyHarness(Path stateDir, TopologySettings settings) {
        this(StreamsSettings.builder().bootstrapServers("unused:9092").stateDir(stateDir).build(), settings, Map.of());
    }

    /** {@code overrides} change Streams properties for one test only; each use says why. */
    TopologyHarness(StreamsSettings streams, FraudRules rules, Map<String, Object> overrides) {
        this(streams, TopologySettings.builder().fraudRules(rules).ledgerPartitions(3).build(), overrides);
    }

    TopologyHarness(StreamsSettings streams, TopologySettings settings, Map<String, Object> overrides) {
        this.streams = streams;
        Topology topology = KassaTopology.build(settings, streams);
        Properties props = streams.toProperties();
        props.putAll(overrides);
        driver = new TopologyTestDriver(topology, props);
        commands = driver.createInputTopic(Topics.PAYMENTS_COMMANDS.name(),
                Topics.PAYMENTS_COMMANDS.keySerde().serializer(), Topics.PAYMENTS_COMMANDS.valueSerde().serializer());
        paymentEvents = driver.createOutputTopic(Topics.PAYMENTS_EVENTS.name(),
                Topics.PAYMENTS_EVENTS.keySerde().deserializer(), Topics.PAYMENTS_EVENTS.valueSerde().deserializer());
        accountEvents = driver.createOutputTopic(Topics.ACCOUNTS_EVENTS.name(),
                Topics.ACCOUNTS_EVENTS.keySerde().deserializer(), Topics.ACCOUNTS_EVENTS.valueSerde().deserializer());
        replays = driver.createOutputTopic(Topics.PAYMENTS_REPLAYS.name(),
                Topics.PAYMENTS_REPLAYS.keySerde().deserializer(), Topics.PAYMENTS_REPLAYS.valueSerde().deserializer());
        fraudDecisions = driver.createOutputTopic(Topics.FRAUD_DECISIONS.name(),
                Topics.FRAUD_DECISIONS.keySerde().deserializer(), Topics.FRAUD_DECISIONS.valueSerde().deserializer());
        fraudRules = driver.createInputTopic(Topics.FRAUD_RULES.name(), new StringSerializer(), new ByteArraySerializer());
        cardResults = driver.createInputTopic(Topics.CARD_RESULTS.name(),
                Topics.CARD_RESULTS.keySerde().serializer(), Topics.CARD_RESULTS.valueSerde().serializer());
        cardCharges = driver.createOutputTopic(Topics.CARD_CHARGES.name(),
                Topics.CARD_CHARGES.keySerde().deserializer(), Topics.CARD_CHARGES.valueSerde().deserializer());
    }

    /** Publishes a card payment of {@code amount} to {@code destination}, charged on {@code cardToken}. */
    CreatePayment card(String merchantId, String destination, long amount, String currency, String cardToken) {
        Instant at = tick();
        CreatePayment command = new CreatePayment(Ids.next(Ids.PAYMENT, at), merchantId, nextKey(), PaymentKind.CARD,
                amount, currency, Ids.cardClearingAccount(currency), destination, "test", Map.of(), at, null, cardToken);
        send(command, at);
        return command;
    }

    /** Publishes the processor's answer as the connector does: keyed by the card clearing account that asked. */
    void cardResult(CardChargeResult result) {
        cardResults.pipeInput(result.clearingAccount(), result, tick());
    }

    /** Reads and removes every charge (and refund) asked of the processor so far. */
    List<TestRecord<String, CardCharge>> cardCharges() {
        return cardCharges.readRecordsToList();
    }

    TopologyTestDriver driver() {
        return driver;
    }

    /** Publishes {@code OpenAccount} and returns its timestamp. */
    Instant openAccount(String merchantId, String accountId, String currency) {
        Instant at = tick();
        send(new OpenAccount(accountId, merchantId, nextKey(), currency, at, null), at);
        return at;
    }

    CreatePayment deposit(String merchantId, String accountId, long amount, String currency) {
        return create(merchantId, PaymentKind.DEPOSIT, Ids.externalAccount(currency), accountId, amount, currency);
    }

    CreatePayment pay(String merchantId, String source, String destination, long amount, String currency) {
        return create(merchantId, PaymentKind.PAYMENT, source, destination, amount, currency);
    }

    CreatePayment create(String merchantId, PaymentKind kind, String source, String destination, long amount,
                         String currency) {
        Instant at = tick();
        CreatePayment command = new CreatePayment(Ids.next(Ids.PAYMENT, at), merchantId, nextKey(), kind, amount,
                currency, source, destination, "test", Map.of(), at, null);
        send(command, at);
        return command;
    }

    /** Publishes a payment stamped {@code at}, leaving the harness clock alone. */
    CreatePayment payAt(String merchantId, String source, String destination, long amount, Instant at) {
        CreatePayment command = new CreatePayment(Ids.next(Ids.PAYMENT, at), merchantId, nextKey(), PaymentKind.PAYMENT,
                amount, "usd", source, destination, "test", Map.of(), at, null);
        send(command, at);
        return command;
    }

    /**
     * Publishes a deposit keyed by the account it credits, as the release before the treasury task
     * keyed deposits; such a command may still be on {@code payments.commands} at an upgrade.
     */
    CreatePayment depositKeyedByItsAccount(String merchantId, String accountId, long amount) {
        Instant at = tick();
        CreatePayment command = new CreatePayment(Ids.next(Ids.PAYMENT, at), merchantId, nextKey(), PaymentKind.DEPOSIT,
                amount, "usd", Ids.externalAccount("usd"), accountId, "test", Map.of(), at, null);
        commands.pipeInput(accountId, command, at);
        return command;
    }

    /** Publishes {@code command} again under {@code recordKey}, as a retry of its request would be. */
    void resend(Command command, String recordKey) {
        Instant at = tick();
        commands.pipeInput(recordKey, command, at);
    }

    /** Publishes a payment under its command key, as releases before the one-hop topology keyed commands. */
    CreatePayment payKeyedByCommandKey(String merchantId, String source, String destination, long amount) {
        Instant at = tick();
        CreatePayment command = new CreatePayment(Ids.next(Ids.PAYMENT, at), merchantId, nextKey(), PaymentKind.PAYMENT,
                amount, "usd", source, destination, "test", Map.of(), at, null);
        commands.pipeInput(command.key(), command, at);
        return command;
    }

    /**
     * Removes {@code accountId} from the global {@code account-directory}, as if its thread had not
     * read the account's opening yet.
     */
    void forgetInAccountDirectory(String accountId) {
        driver.getKeyValueStore(AccountDirectory.STORE_NAME).delete(accountId);
    }

    /** Publishes a refund of {@code amount} (null: the rest) of {@code payment}, on behalf of {@code merchantId}. */
    CreateRefund refund(String merchantId, CreatePayment payment, Long amount) {
        Instant at = tick();
        CreateRefund command = new CreateRefund(Ids.next(Ids.REFUND, at), payment.paymentId(), merchantId, nextKey(),
                amount, payment.destination(), at, null);
        send(command, at);
        return command;
    }

    /** Writes {@code ruleFile} to fraud.rules under its one key, as {@code kassa rules push} does; null deletes it. */
    void pushRules(byte[] ruleFile, Instant at) {
        fraudRules.pipeInput(Topics.FRAUD_RULES_KEY, ruleFile, at);
    }

    /** Reads and removes every fraud decision published so far. */
    List<TestRecord<String, FraudDecision>> fraudDecisions() {
        return fraudDecisions.readRecordsToList();
    }

    void send(Command command, Instant at) {
        commands.pipeInput(command.routingKey(), command, at);
    }

    /** Reads and removes every payment event published so far. */
    List<TestRecord<String, PaymentEvent>> paymentEvents() {
        return paymentEvents.readRecordsToList();
    }

    List<TestRecord<String, AccountEvent>> accountEvents() {
        return accountEvents.readRecordsToList();
    }

    /** Reads and removes every command replay published so far. */
    List<TestRecord<String, CommandReplay>> replays() {
        return replays.readRecordsToList();
    }

    /** The {@code refundable-payments} entry of {@code paymentId}, if the store holds one. */
    Optional<RefundablePayment> refundable(String paymentId) {
        KeyValueStore<String, RefundablePayment> store = driver.getKeyValueStore(KassaTopology.REFUNDABLE_PAYMENTS_STORE);
        return Optional.ofNullable(store.get(paymentId));
    }

    /** The {@code idempotency-keys} entry of {@code commandKey}, if the store holds one. */
    Optional<IdempotencyEntry> idempotencyEntry(String commandKey) {
        KeyValueStore<String, IdempotencyEntry> store = driver.getKeyValueStore(KassaTopology.IDEMPOTENCY_KEYS_STORE);
        return Optional.ofNullable(store.get(commandKey));
    }

    /** Moves the harness clock, and so the timestamps of the next commands, forward by {@code duration}. */
    Instant advance(Duration duration) {
        clock = clock.plus(duration);
        return clock;
    }

    /**
     * Writes {@code json}, a leg as some release wrote it, to ledger repartition topic {@code name}
     * (without prefix) under {@code accountId}, as if it had been there when this release started.
     */
    void pipeLegJson(String name, String accountId, String json, Instant at) {
        String topic = streams.applicationId() + "-" + name + "-repartition";
        driver.createInputTopic(topic, new StringSerializer(), new StringSerializer()).pipeInput(accountId, json, at);
    }

    /** Each event as {@code "sequence Type"}, in publication order: the lifecycle a test asserts exactly. */
    static List<String> lifecycle(List<TestRecord<String, PaymentEvent>> records) {
        return records.stream().map(record -> record.value().sequence() + " " + record.value().type()).toList();
    }

    /** Reads and removes the legs written to ledger repartition topic {@code name} (without prefix). */
    List<TestRecord<String, Leg>> legsOn(String name) {
        String topic = streams.applicationId() + "-" + name + "-repartition";
        return driver.createOutputTopic(topic, new StringDeserializer(), Leg.SERDE.deserializer()).readRecordsToList();
    }

    /** Discards the legs written so far to every ledger repartition topic. */
    void drainLegs() {
        legsOn(KassaTopology.LEDGER_LEGS);
        legsOn(KassaTopology.LEDGER_CREDITS);
        legsOn(KassaTopology.LEDGER_REVERSALS);
    }

    Optional<AccountBalance> account(String accountId) {
        KeyValueStore<String, AccountBalance> store = driver.getKeyValueStore(KassaTopology.BALANCES_STORE);
        return Optional.ofNullable(store.get(accountId));
    }

    /** Every balance the store holds for {@code accountIds}; a missing account maps to nothing. */
    Map<String, Long> balances(String... accountIds) {
        Map<String, Long> balances = new LinkedHashMap<>();
        for (String id : accountIds) {
            account(id).ifPresent(account -> balances.put(id, account.balance()));
        }
        return balances;
    }

    private Instant tick() {
        clock = clock.plus(Duration.ofSeconds(1));
        return clock;
    }

    private String nextKey() {
        return "key-" + (++keys);
    }

    @Override
    public void close() {
        driver.close();
    }
}
