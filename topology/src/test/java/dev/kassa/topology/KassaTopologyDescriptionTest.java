package dev.kassa.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.model.Topics;
import dev.kassa.topology.accounts.AccountDirectory;
import dev.kassa.topology.card.CardPayments;
import dev.kassa.topology.fraud.FraudStores;
import dev.kassa.topology.treasury.TreasuryStores;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code describe()} of the real topology reads like the design and names everything Kassa owns. */
class KassaTopologyDescriptionTest {

    @TempDir
    Path stateDir;

    private TopologyDescription describe() {
        return KassaTopology.build(TopologySettings.defaults(), StreamsSettings.builder().bootstrapServers("unused:9092").stateDir(stateDir).build())
                .describe();
    }

    private static List<TopologyDescription.Node> nodes(TopologyDescription description) {
        return description.subtopologies().stream()
                .flatMap(subtopology -> subtopology.nodes().stream())
                .toList();
    }

    @Test
    void everyProcessorRepartitionAndSinkHasAChosenName() {
        List<String> names = nodes(describe()).stream().map(TopologyDescription.Node::name).toList();

        assertThat(names).noneMatch(name -> name.startsWith("KSTREAM-") || name.startsWith("KTABLE-"));
        assertThat(names).contains(
                KassaTopology.COMMANDS_SOURCE,
                KassaTopology.DEDUPE,
                "dedupe-first", "dedupe-replays", "dedupe-first-command", "dedupe-replay",
                "dedupe-to-payments-replays",
                KassaTopology.INITIATE,
                "initiate-to-payments-events", "initiate-local-leg", "ledger-legs-merge",
                "ledger-legs-repartition-sink", "ledger-legs-repartition-source",
                KassaTopology.AUTHORIZE_LEGS,
                "authorize-legs-to-payments-events", "authorize-legs-to-accounts-events",
                "ledger-credits-repartition-sink", "ledger-credits-repartition-source",
                KassaTopology.AUTHORIZE_CREDITS,
                "authorize-credits-to-payments-events",
                "ledger-reversals-repartition-sink", "ledger-reversals-repartition-source",
                KassaTopology.AUTHORIZE_REVERSALS,
                "authorize-reversals-to-payments-events");
    }

    @Test
    void dedupeIsTheFirstStageOnTheCommandsAndOwnsTheIdempotencyKeyStore() {
        TopologyDescription description = describe();

        TopologyDescription.Node source = nodes(description).stream()
                .filter(node -> node.name().equals(KassaTopology.COMMANDS_SOURCE))
                .findFirst().orElseThrow();
        assertThat(source.successors()).extracting(TopologyDescription.Node::name)
                .containsExactly(KassaTopology.DEDUPE);
        assertThat(description.subtopologies()).anySatisfy(subtopology -> {
            assertThat(sourceTopics(subtopology)).contains(Topics.PAYMENTS_COMMANDS.name());
            assertThat(subtopology.nodes()).extracting(TopologyDescription.Node::name)
                    .contains(KassaTopology.DEDUPE, KassaTopology.INITIATE);
        });
    }

    @Test
    void aPaymentIsDecidedInOneSubtopologyThatOwnsEveryLedgerStore() {
        TopologyDescription description = describe();

        Map<String, Set<String>> storesByProcessor = nodes(description).stream()
                .filter(node -> node instanceof TopologyDescription.Processor)
                .map(node -> (TopologyDescription.Processor) node)
                .filter(processor -> !processor.stores().isEmpty())
                .collect(Collectors.toMap(TopologyDescription.Node::name, TopologyDescription.Processor::stores));
        // A payment's refundable remainder sits with its destination's balance, in the task that owns both,
        // and each source's fraud memory with its balance, where its debits and declines happen; each
        // merchant's deposits of the day with the external account's balance, in the currency's treasury task.
        Set<String> ledgerStores = Set.of(KassaTopology.BALANCES_STORE, KassaTopology.REFUNDABLE_PAYMENTS_STORE,
                FraudStores.ACTIVITY, FraudStores.PAID_DESTINATIONS, TreasuryStores.DEPOSIT_DAYS, CardPayments.STORE_NAME);
        assertThat(storesByProcessor).isEqualTo(Map.of(
                KassaTopology.DEDUPE, Set.of(KassaTopology.IDEMPOTENCY_KEYS_STORE),
                KassaTopology.INITIATE, Set.of(KassaTopology.IDEMPOTENCY_KEYS_STORE),
                KassaTopology.FRAUD, Set.of(FraudStores.ACTIVITY, FraudStores.PAID_DESTINATIONS),
                KassaTopology.AUTHORIZE_LEGS, ledgerStores,
                KassaTopology.AUTHORIZE_CREDITS, ledgerStores,
                KassaTopology.AUTHORIZE_REVERSALS, ledgerStores));

        // Commands keyed by the account they are decided at, and every leg that crosses to another
        // account's partition, are read by one task per partition: dedupe, fraud and the debit of a
        // payment happen in the transaction that answers it.
        assertThat(description.subtopologies()).singleElement().satisfies(subtopology -> {
            assertThat(sourceTopics(subtopology)).containsExactlyInAnyOrder(Topics.PAYMENTS_COMMANDS.name(),
                    Topics.CARD_RESULTS.name(), "ledger-legs-repartition", "ledger-credits-repartition", "ledger-reversals-repartition");
            assertThat(subtopology.nodes()).extracting(TopologyDescription.Node::name).contains(KassaTopology.DEDUPE,
                    KassaTopology.INITIATE, KassaTopology.FRAUD, KassaTopology.AUTHORIZE_LEGS,
                    KassaTopology.AUTHORIZE_CREDITS, KassaTopology.AUTHORIZE_REVERSALS);
        });
        assertThat(description.globalStores()).extracting(global -> global.source().topicSet())
                .containsExactlyInAnyOrder(Set.of(Topics.FRAUD_RULES.name()), Set.of(Topics.ACCOUNTS_EVENTS.name()));
        assertThat(description.globalStores()).extracting(global -> global.processor().stores())
                .containsExactlyInAnyOrder(Set.of(FraudStores.RULES), Set.of(AccountDirectory.STORE_NAME));
    }

    @Test
    void topologyWritesOnlyToPublicEventTopicsAndItsOwnRepartitions() {
        Set<String> sinkTopics = nodes(describe()).stream()
                .filter(node -> node instanceof TopologyDescription.Sink)
                .map(node -> ((TopologyDescription.Sink) node).topic())
                .collect(Collectors.toSet());

        assertThat(sinkTopics).containsExactlyInAnyOrder(
                Topics.PAYMENTS_EVENTS.name(), Topics.ACCOUNTS_EVENTS.name(), Topics.PAYMENTS_REPLAYS.name(),
                Topics.FRAUD_DECISIONS.name(), Topics.CARD_CHARGES.name(), "ledger-legs-repartition", "ledger-credits-repartition", "ledger-reversals-repartition");
    }

    @Test
    void buildingTwiceGivesTheSameTopology() {
        // Names must not depend on build order or counters, or a new release would orphan its state.
        assertThat(describe()).isEqualTo(describe());
    }

    private static Set<String> sourceTopics(TopologyDescription.Subtopology subtopology) {
        return subtopology.nodes().stream()
                .filter(node -> node instanceof TopologyDescription.Source)
                .map(node -> ((TopologyDescription.Source) node).topicSet())
                .flatMap(Collection::stream)
                .collect(Collectors.toSet());
    }
}
