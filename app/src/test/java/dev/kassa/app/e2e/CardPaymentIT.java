package dev.kassa.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kassa.app.connector.CardConnector;
import dev.kassa.app.e2e.ApiClient.Merchant;
import dev.kassa.app.reconcile.Reconciler;
import dev.kassa.app.reconcile.SettlementLine;
import dev.kassa.model.CardChargeResult;
import dev.kassa.model.Ids;
import dev.kassa.model.KafkaClientProperties;
import dev.kassa.testing.LedgerSql;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Card payments end to end (docs/architecture.md, Card payments): the real gateway, the processor
 * sandbox's server on a real socket, and the card connector between them over Kafka and HTTP. The
 * sandbox is the oracle of what was charged (listed by reference, the payment id); Postgres and the
 * API's balances of what was booked.
 */
@Tag("integration")
@ExtendWith(SharedGateway.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CardPaymentIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /**
     * The connector's first retry of an unknown outcome comes 6–12 s later: after the API's 5 s
     * outcome wait, so a charge whose answer the network lost is answered 202 first.
     */
    private static final Duration RETRY_BACKOFF = Duration.ofSeconds(12);

    private final TestGateway gateway;
    private final ApiClient api;
    private final LedgerSql ledger;
    private CardSandbox sandbox;
    private CardConnector connector;
    /** The connector's processor: the sandbox, with the answers of one amount held when a test asks. */
    private HeldAnswers processor;
    /** Payments whose answers the crash hook lets through only once the first connector died. */
    private final Set<String> crashBeforePublishing = ConcurrentHashMap.newKeySet();

    CardPaymentIT(TestGateway gateway) {
        this.gateway = gateway;
        this.api = gateway.api();
        this.ledger = gateway.ledger();
    }

    @BeforeAll
    void startSandboxAndConnector() {
        sandbox = CardSandbox.start();
        connector = startConnector();
    }

    private CardConnector startConnector() {
        return sandbox.connector(gateway.kafkaBootstrap(), RETRY_BACKOFF, this::crashIfAsked, real -> {
            processor = new HeldAnswers(real);
            return processor;
        });
    }

    @AfterAll
    void stop() {
        connector.close();
        sandbox.close();
    }

    @Test
    void chargeWhoseAnswerTheNetworkDroppedIsRetriedWithItsKeyAndChargedAndCreditedOnce() throws Exception {
        // The seed's scenario. Plan: the sandbox makes every new charge and drops its answer. The client
        // pays 12.50 by card with key K; its request times out at the API's wait (202, processing), since
        // the connector's retry comes later; it retries with K until the payment is answered. Then the
        // sandbox must hold exactly one charge for the payment, Kassa one payment (one command published),
        // and the merchant's account 1250 from two ledger rows: credited once. Reconciliation of the day
        // must then match the charge and find nothing open about the sandbox's report.
        String openingKey = ApiClient.newIdempotencyKey();
        Merchant merchant = api.createMerchant("card seed scenario", openingKey);
        String key = ApiClient.newIdempotencyKey();
        sandbox.faults("{\"drop_after_commit_rate\": \"1\"}");
        try {
            ApiResponse first = api.pay(merchant, cardBody(1_250, "usd", "tok_visa"), key).expectStatus(202);
            assertThat(first.body().path("status").asText()).isEqualTo("processing");
            String paymentId = first.id();

            JsonNode completed = await().atMost(WAIT).pollInterval(Duration.ofMillis(500))
                    .until(() -> api.pay(merchant, cardBody(1_250, "usd", "tok_visa"), key),
                            retry -> retry.status() == 201).body();

            assertThat(completed.path("id").asText()).isEqualTo(paymentId);
            assertThat(completed.path("status").asText()).isEqualTo("completed");
            assertThat(sandbox.charges(paymentId)).singleElement()
                    .satisfies(charge -> assertThat(charge.amount()).isEqualTo(1_250));
            assertThat(commandsBesidesOpening(merchant, openingKey)).containsExactly(merchant.id() + ":" + key);
            awaitBooked(merchant, paymentId, 1_250);
            assertReconciliationFindsNothingOpen(paymentId);
        } finally {
            sandbox.faults("{}");
        }
    }

    /**
     * Reconciliation of today against this class's sandbox (docs/architecture.md, Reconciliation): the
     * payment's charge line matched, and no open item about any line of the sandbox's report or about
     * the payment. Other classes' card payments, charged at their own sandboxes, share the ledger and
     * are this report's {@code missing_at_processor}: they are not this class's to check.
     */
    private void assertReconciliationFindsNothingOpen(String paymentId) throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Set<String> lines = SettlementLine.parse(sandbox.processor().settlementReport(today)).stream()
                .map(SettlementLine::id).collect(Collectors.toSet());
        Reconciler.Outcome outcome;
        try (KafkaProducer<String, byte[]> producer = Reconciler.producer(gateway.kafkaBootstrap(),
                KafkaClientProperties.NONE)) {
            outcome = new Reconciler(sandbox.processor(), gateway.dataSource(), producer, Duration.ofSeconds(30),
                    Clock.systemUTC(), Reconciler.Hooks.NONE).run(today);
        }

        String chargeId = sandbox.charges(paymentId).get(0).id();
        assertThat(ledger.rows("SELECT kind, state FROM reconciliation_items WHERE business_date = ? AND item_key = ?",
                today, chargeId)).containsExactly(List.of("matched", "resolved"));
        assertThat(outcome.open()).filteredOn(item -> lines.contains(item.key()) || paymentId.equals(item.paymentId()))
                .isEmpty();
    }

    @Test
    void chargeWhoseOutcomeStaysUnknownHoldsNoOtherAnswer() {
        // Plan: the answers to charges of 13.37 are lost after the sandbox made them (HeldAnswers), so the
        // connector retries that payment with its key for as long as the hold lasts. Meanwhile three other
        // card payments are made: each must be answered completed within the API's wait, and booked, while
        // the held one is still processing; before the connector's redesign they queued behind it and the
        // API answered them 202. Then the hold is released: the held payment completes, with one charge at
        // the sandbox however many attempts it took, and is booked once.
        Merchant merchant = api.createMerchant("card head of line");
        processor.hold(1_337);
        String heldId;
        try {
            heldId = api.pay(merchant, cardBody(1_337, "usd", "tok_visa")).expectStatus(202).id();
            await().atMost(WAIT).until(() -> processor.lostAnswers() >= 1);

            long[] amounts = {1_000, 2_000, 3_000};
            for (long amount : amounts) {
                ApiResponse other = api.pay(merchant, cardBody(amount, "usd", "tok_mastercard")).expectStatus(201);
                assertThat(other.body().path("status").asText()).isEqualTo("completed");
                awaitEntries(other.id(), amount);
            }

            assertThat(api.balance(merchant, merchant.ownAccount())).isEqualTo(6_000);
            assertThat(api.getPayment(merchant, heldId).expectStatus(200).body().path("status").asText())
                    .isEqualTo("processing");
            assertThat(ledger.entryCount(heldId)).isZero();
        } finally {
            processor.release();
        }

        await().atMost(WAIT).untilAsserted(() -> assertThat(
                api.getPayment(merchant, heldId).expectStatus(200).body().path("status").asText()).isEqualTo("completed"));
        assertThat(sandbox.charges(heldId)).singleElement()
                .satisfies(charge -> assertThat(charge.amount()).isEqualTo(1_337));
        awaitEntries(heldId, 1_337);
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(api.balance(merchant, merchant.ownAccount())).isEqualTo(7_337));
    }

    @Test
    void chargeHeldForReviewLeavesThePaymentProcessingAndHoldsNoOtherCharge() {
        // Plan: a card the sandbox holds for review (tok_review). The sandbox makes one charge in review,
        // which it never decides (docs/processor-sim.md); the connector publishes nothing for it and moves
        // on. The payment must stay processing — answered 202, again 202 to a retry with its key, GET
        // processing — with no ledger entry and no money on the merchant's account, and a card payment
        // made after it must still complete.
        Merchant merchant = api.createMerchant("card review");
        String key = ApiClient.newIdempotencyKey();
        String paymentId = api.pay(merchant, cardBody(4_200, "usd", "tok_review"), key).expectStatus(202).id();

        await().atMost(WAIT).untilAsserted(() -> assertThat(sandbox.charges(paymentId)).singleElement()
                .satisfies(charge -> assertThat(charge.status().name()).isEqualTo("REVIEW")));
        String after = api.pay(merchant, cardBody(1_000, "usd", "tok_visa")).expectStatus(201).id();
        awaitEntries(after, 1_000);

        ApiResponse retried = api.pay(merchant, cardBody(4_200, "usd", "tok_review"), key).expectStatus(202);
        assertThat(retried.id()).isEqualTo(paymentId);
        assertThat(retried.body().path("status").asText()).isEqualTo("processing");
        assertThat(api.getPayment(merchant, paymentId).expectStatus(200).body().path("status").asText())
                .isEqualTo("processing");
        assertThat(ledger.entryCount(paymentId)).isZero();
        assertThat(api.balance(merchant, merchant.ownAccount())).isEqualTo(1_000);
        assertThat(sandbox.charges(paymentId)).as("a retry of the request charges nothing again").hasSize(1);
    }

    @Test
    void declinedCardFailsThePaymentWithTheProcessorsReasonAndMovesNoMoney() {
        Merchant merchant = api.createMerchant("card declined");
        for (String[] card : new String[][] {{"tok_chargeDeclined", "card_declined"},
                {"tok_insufficientFunds", "insufficient_funds"}, {"tok_expired", "expired_card"}}) {
            ApiResponse declined = api.pay(merchant, cardBody(900, "usd", card[0])).expectStatus(402);

            assertThat(declined.errorCode()).isEqualTo(card[1]);
            String paymentId = declined.error().path("payment").path("id").asText();
            assertThat(declined.error().path("payment").path("status").asText()).isEqualTo("failed");
            assertThat(sandbox.charges(paymentId)).singleElement()
                    .satisfies(charge -> assertThat(charge.status().name()).isEqualTo("DECLINED"));
            await().atMost(WAIT).untilAsserted(() -> assertThat(ledger.rows(
                    "SELECT status, failure_code FROM payments WHERE id = ?", paymentId))
                    .containsExactly(List.of("failed", card[1])));
            assertThat(ledger.entryCount(paymentId)).isZero();
        }
        assertThat(api.balance(merchant, merchant.ownAccount())).isZero();
    }

    @Test
    void connectorDyingBetweenChargeAndPublicationRetriesWithTheSameKeyAndCreditsOnce() {
        // Plan: the connector's hook throws once the processor has charged a marked payment, before the
        // answer is published or its request's offset committed: the connector stops, as a killed one
        // would. The payment stays processing. A new connector (same group, same transactional id) reads
        // the request again and charges with the same key: the sandbox answers its stored charge. One
        // charge at the sandbox, one payment completed, two ledger rows, the merchant credited once.
        Merchant merchant = api.createMerchant("card connector crash");
        ObjectNode body = cardBody(2_000, "usd", "tok_mastercard");
        body.put("description", "crash-before-publish");
        crashBeforePublishing.add("armed");
        ApiResponse first = api.pay(merchant, body).expectStatus(202);
        String paymentId = first.id();
        await().atMost(WAIT).until(() -> connector.failure().isDone());
        assertThat(sandbox.charges(paymentId)).hasSize(1);
        assertThat(api.getPayment(merchant, paymentId).expectStatus(200).body().path("status").asText())
                .isEqualTo("processing");

        connector = startConnector();

        await().atMost(WAIT).untilAsserted(() -> assertThat(
                api.getPayment(merchant, paymentId).expectStatus(200).body().path("status").asText())
                .isEqualTo("completed"));
        assertThat(sandbox.charges(paymentId)).hasSize(1);
        awaitBooked(merchant, paymentId, 2_000);
    }

    @Test
    void refundOfACardPaymentReachesTheProcessorOnce() {
        // Plan: a card payment of 20.00, then a refund of 5.00 sent twice with one key. Kassa books it
        // once (merchant 1500); the sandbox's settlement report has exactly one refund line of -500 for
        // the payment, made by the connector with the refund id as its key.
        Merchant merchant = api.createMerchant("card refund");
        String paymentId = api.pay(merchant, cardBody(2_000, "usd", "tok_visa")).expectStatus(201).id();
        String key = ApiClient.newIdempotencyKey();

        String refundId = api.refund(merchant, paymentId, 500L, key).expectStatus(201).id();
        assertThat(api.refund(merchant, paymentId, 500L, key).expectStatus(201).id()).isEqualTo(refundId);

        await().atMost(WAIT).untilAsserted(() -> assertThat(sandbox.refundLines(paymentId))
                .singleElement().satisfies(line -> assertThat(line).contains(",-500,usd,")));
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(api.balance(merchant, merchant.ownAccount())).isEqualTo(1_500));
        assertThat(sandbox.refundLines(paymentId)).hasSize(1);
    }

    @Test
    void badCardInputIsRefusedNamingTheFieldAndPublishesNothing() {
        String openingKey = ApiClient.newIdempotencyKey();
        Merchant merchant = api.createMerchant("card bad input", openingKey);
        ObjectNode noType = cardBody(1_000, "usd", "tok_visa");
        ((ObjectNode) noType.get("source")).remove("type");
        ObjectNode otherType = cardBody(1_000, "usd", "tok_visa");
        ((ObjectNode) otherType.get("source")).put("type", "bank");
        ObjectNode noToken = cardBody(1_000, "usd", "tok_visa");
        ((ObjectNode) noToken.get("source")).remove("token");
        ObjectNode extra = cardBody(1_000, "usd", "tok_visa");
        ((ObjectNode) extra.get("source")).put("cvc", "123");

        expectRefused(merchant, noType, "parameter_missing", "source.type");
        expectRefused(merchant, otherType, "parameter_invalid", "source.type");
        expectRefused(merchant, noToken, "parameter_missing", "source.token");
        expectRefused(merchant, cardBody(1_000, "usd", " "), "parameter_invalid", "source.token");
        expectRefused(merchant, extra, "unknown_parameter", "source.cvc");
        expectRefused(merchant, cardBody(1_000, "usd", "tok_unheardOf"), "card_token_unknown", "source.token");
        expectRefused(merchant, cardBody(49, "usd", "tok_visa"), "amount_invalid", "amount");
        expectRefused(merchant, cardBody(100_000_000, "usd", "tok_visa"), "amount_invalid", "amount");
        expectRefused(merchant, cardBody(1_000, "jpy", "tok_visa"), "currency_not_supported", "currency");
        ObjectNode foreignDestination = cardBody(1_000, "usd", "tok_visa");
        foreignDestination.put("destination", ApiClient.unknownId(Ids.ACCOUNT));
        expectRefused(merchant, foreignDestination, "resource_missing", "destination");

        assertThat(commandsBesidesOpening(merchant, openingKey)).isEmpty();
    }

    /** The command keys the API published for {@code merchant}, but its own account's opening. */
    private List<String> commandsBesidesOpening(Merchant merchant, String openingKey) {
        return CommandLog.keysStartingWith(gateway.kafkaBootstrap(), merchant.id() + ":").stream()
                .filter(commandKey -> !commandKey.equals(merchant.id() + ":" + openingKey))
                .toList();
    }

    private void expectRefused(Merchant merchant, ObjectNode body, String code, String param) {
        ApiResponse refused = api.pay(merchant, body);
        assertThat(refused.status()).as("%s", body).isBetween(400, 404);
        assertThat(refused.errorCode()).as("%s", body).isEqualTo(code);
        assertThat(refused.errorParam()).as("%s", body).isEqualTo(param);
    }

    /** The payment's two ledger rows (card clearing -amount, merchant +amount) and the merchant's balance. */
    private void awaitBooked(Merchant merchant, String paymentId, long amount) {
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(ledger.rows("SELECT account_id, amount FROM ledger_entries WHERE payment_id = ? ORDER BY amount",
                    paymentId)).containsExactly(List.of(Ids.cardClearingAccount("usd"), -amount),
                    List.of(merchant.ownAccount(), amount));
            assertThat(api.balance(merchant, merchant.ownAccount())).isEqualTo(amount);
        });
    }

    /** The payment's two ledger rows: card clearing -amount, and +amount to its destination. */
    private void awaitEntries(String paymentId, long amount) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(ledger.rows(
                "SELECT amount FROM ledger_entries WHERE payment_id = ? ORDER BY amount", paymentId))
                .containsExactly(List.of(-amount), List.of(amount)));
    }

    /** The crash hook: stops the connector once, after a batch's answers are known, before they are published. */
    private void crashIfAsked(List<CardChargeResult> results) {
        if (crashBeforePublishing.remove("armed")) {
            throw new IllegalStateException("test crash between the charge and the publication of " + results);
        }
    }

    private static ObjectNode cardBody(long amount, String currency, String token) {
        ObjectNode body = ApiClient.JSON.createObjectNode().put("amount", amount).put("currency", currency);
        body.putObject("source").put("type", "card").put("token", token);
        return body;
    }
}
