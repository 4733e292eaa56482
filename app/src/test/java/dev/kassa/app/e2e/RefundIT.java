package dev.kassa.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kassa.app.e2e.ApiClient.Merchant;
import dev.kassa.ledger.verify.InvariantResult;
import dev.kassa.ledger.verify.LedgerVerifier;
import dev.kassa.model.PaymentEvent;
import dev.kassa.model.PaymentEventType;
import dev.kassa.testing.BalanceOracle;
import dev.kassa.testing.LedgerSql;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Refunds on the real gateway (API → Kafka → topology → Kafka → sink → Postgres → API): docs/architecture.md
 * invariant 4 under concurrency, idempotent replays, refusals that publish nothing, and the order in
 * which a {@code read_committed} consumer sees each payment's events. Balances are compared against
 * the test's own {@link BalanceOracle}. Each test pays from its own fresh accounts, far below any
 * velocity limit of the fraud rules.
 */
@Tag("integration")
@ExtendWith(SharedGateway.class)
class RefundIT {

    private static final Duration SINK_WAIT = Duration.ofSeconds(30);
    private static final String REFUND_ID = "re_[0-9a-f]{32}";

    private final TestGateway gateway;
    private final ApiClient api;
    private final LedgerSql ledger;
    private final BalanceOracle oracle = new BalanceOracle();

    RefundIT(TestGateway gateway) {
        this.gateway = gateway;
        this.api = gateway.api();
        this.ledger = gateway.ledger();
    }

    @Test
    void concurrentRefundsWithDifferentKeysNeverAddUpToMoreThanThePayment() throws Exception {
        // Plan: one payment of 1,000, then 20 refunds of 150 sent at once, each with its own key, so no
        // idempotency line can serialize them. Only the topology's refundable remainder can: exactly
        // 6 must complete (900) and 14 fail refund_exceeds_payment. Then the ledger must show
        // amount_refunded 900, partially_refunded, 6 completed refunds, balances equal to the oracle
        // and every invariant of kassa ledger verify holding.
        Merchant merchant = merchant("concurrent refunds");
        String customer = fundedCustomer(merchant, 5_000);
        String paymentId = pay(merchant, customer, 1_000);

        List<JsonNode> outcomes = refundConcurrently(merchant, paymentId, 20, 150);

        assertThat(outcomes).filteredOn(refund -> refund.path("status").asText().equals("completed")).hasSize(6);
        assertThat(outcomes).filteredOn(refund -> refund.path("status").asText().equals("failed"))
                .hasSize(14).allSatisfy(refund ->
                        assertThat(refund.path("failure_code").asText()).isEqualTo("refund_exceeds_payment"));
        for (int i = 0; i < 6; i++) {
            oracle.refunded(customer, merchant.ownAccount(), 150);
        }
        await().atMost(SINK_WAIT).untilAsserted(() -> {
            JsonNode payment = api.getPayment(merchant, paymentId).expectStatus(200).body();
            assertThat(payment.path("amount_refunded").asLong()).isEqualTo(900);
            assertThat(payment.path("status").asText()).isEqualTo("partially_refunded");
            assertThat(ledger.count("SELECT count(*) FROM refunds WHERE payment_id = ? AND status = 'completed'",
                    paymentId)).isEqualTo(6);
            assertThat(ledger.count("SELECT count(*) FROM refunds WHERE payment_id = ? AND status = 'failed'",
                    paymentId)).isEqualTo(14);
        });
        assertThat(ledger.entryCount(paymentId)).isEqualTo(2 + 2 * 6);
        awaitBalancesMatchOracle(merchant, customer, merchant.ownAccount());
        assertLedgerVerifies();
    }

    @Test
    void partialThenRestRefundsThePaymentAndReadsBack() {
        // Plan: refund 300 of 1,000, then "the rest" (no amount): 201 with 300 and 700; the payment ends
        // refunded with amount_refunded 1,000, GET /v1/refunds/{id} returns each refund as answered,
        // the payment's refund list holds both oldest first, and a further refund of the rest fails
        // 402 refund_exceeds_payment with the failed refund in the body.
        Merchant merchant = merchant("partial then rest");
        String customer = fundedCustomer(merchant, 5_000);
        String paymentId = pay(merchant, customer, 1_000);

        ApiResponse partial = api.refund(merchant, paymentId, 300L, ApiClient.newIdempotencyKey()).expectStatus(201);
        ApiResponse rest = api.refund(merchant, paymentId, null, ApiClient.newIdempotencyKey()).expectStatus(201);
        oracle.refunded(customer, merchant.ownAccount(), 1_000);

        assertRefund(partial.body(), paymentId, 300, "completed");
        assertRefund(rest.body(), paymentId, 700, "completed");
        await().atMost(SINK_WAIT).untilAsserted(() -> {
            assertThat(api.getRefund(merchant, partial.id()).expectStatus(200).body()).isEqualTo(partial.body());
            assertThat(api.getRefund(merchant, rest.id()).expectStatus(200).body()).isEqualTo(rest.body());
            JsonNode payment = api.getPayment(merchant, paymentId).expectStatus(200).body();
            assertThat(payment.path("status").asText()).isEqualTo("refunded");
            assertThat(payment.path("amount_refunded").asLong()).isEqualTo(1_000);
        });
        JsonNode list = api.listRefunds(merchant, paymentId).expectStatus(200).body();
        assertThat(list.path("object").asText()).isEqualTo("list");
        assertThat(list.path("data")).containsExactly(partial.body(), rest.body());
        assertThat(list.path("has_more").asBoolean(true)).isFalse();

        ApiResponse nothingLeft = api.refund(merchant, paymentId, null, ApiClient.newIdempotencyKey()).expectStatus(402);
        assertThat(nothingLeft.errorType()).isEqualTo("payment_error");
        assertThat(nothingLeft.errorCode()).isEqualTo("refund_exceeds_payment");
        assertRefund(nothingLeft.error().path("refund"), paymentId, 0, "failed");
        awaitBalancesMatchOracle(merchant, customer, merchant.ownAccount());
    }

    @Test
    void aPaymentAnsweredAMomentAgoIsReadAndRefundedBeforeTheLedgerHasIt() {
        // Plan: stop the ledger sink, so that Postgres cannot know what follows. Pay 2,500: 201. At
        // once, GET the payment: 200 completed, and refund 1,000 of it: 201 completed, decided by the
        // topology. The ledger holds neither yet. Start the sink: the ledger ends with the payment
        // partially refunded and both balances as the oracle says (read-your-writes, docs/api.md).
        Merchant merchant = merchant("read your writes");
        String customer = fundedCustomer(merchant, 10_000);
        gateway.stopSink();
        String paymentId;
        ApiResponse refund;
        try {
            paymentId = api.pay(merchant, 2_500, "usd", customer, null).expectStatus(201).id();
            oracle.paid(merchant.id(), 2_500, "usd", customer, merchant.ownAccount());

            JsonNode read = api.getPayment(merchant, paymentId).expectStatus(200).body();
            refund = api.refund(merchant, paymentId, 1_000L, ApiClient.newIdempotencyKey()).expectStatus(201);
            oracle.refunded(customer, merchant.ownAccount(), 1_000);

            assertThat(read.path("id").asText()).isEqualTo(paymentId);
            assertThat(read.path("status").asText()).isEqualTo("completed");
            assertRefund(refund.body(), paymentId, 1_000, "completed");
            assertThat(ledger.count("SELECT count(*) FROM payments WHERE id = ?", paymentId))
                    .as("the ledger, with its sink stopped, has the payment").isZero();
        } finally {
            gateway.startSink();
        }
        await().atMost(SINK_WAIT).untilAsserted(() -> {
            JsonNode payment = api.getPayment(merchant, paymentId).expectStatus(200).body();
            assertThat(payment.path("status").asText()).isEqualTo("partially_refunded");
            assertThat(payment.path("amount_refunded").asLong()).isEqualTo(1_000);
            assertThat(api.getRefund(merchant, refund.id()).expectStatus(200).body()).isEqualTo(refund.body());
        });
        awaitBalancesMatchOracle(merchant, customer, merchant.ownAccount());
    }

    @Test
    void refundReplayedWithTheSameKeyIsTheSameRefundAndAnotherAmountIsRefused() {
        // Plan: a refund of 250, retried with its key: the same bytes with Idempotent-Replayed: true,
        // and money moved once. The key with another amount: 400 idempotency_key_reused, nothing moved.
        Merchant merchant = merchant("replay");
        String customer = fundedCustomer(merchant, 5_000);
        String paymentId = pay(merchant, customer, 1_000);
        String key = ApiClient.newIdempotencyKey();

        ApiResponse first = api.refund(merchant, paymentId, 250L, key).expectStatus(201);
        oracle.refunded(customer, merchant.ownAccount(), 250);
        ApiResponse replay = api.refund(merchant, paymentId, 250L, key).expectStatus(201);
        ApiResponse reused = api.refund(merchant, paymentId, 300L, key).expectStatus(400);

        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(replay.rawBody()).isEqualTo(first.rawBody());
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(reused.errorType()).isEqualTo("idempotency_error");
        assertThat(reused.errorCode()).isEqualTo("idempotency_key_reused");
        await().atMost(SINK_WAIT).untilAsserted(() -> assertThat(
                api.getPayment(merchant, paymentId).expectStatus(200).body().path("amount_refunded").asLong())
                .isEqualTo(250));
        assertThat(ledger.count("SELECT count(*) FROM refunds WHERE payment_id = ?", paymentId)).isEqualTo(1);
        awaitBalancesMatchOracle(merchant, customer, merchant.ownAccount());
    }

    @Test
    void refundRetriedAfterRedisLostItsKeyIsAnsweredWithTheOriginalRefund() {
        // Plan: refund 400, FLUSHALL Redis, retry the same request: the topology's dedupe store still
        // remembers the key, so the answer must be the first refund (same id and body) and the payment
        // refunded once; the key with another amount must then be refused as reused, by the same line.
        Merchant merchant = merchant("redis loss");
        String customer = fundedCustomer(merchant, 5_000);
        String paymentId = pay(merchant, customer, 1_000);
        String key = ApiClient.newIdempotencyKey();
        ApiResponse first = api.refund(merchant, paymentId, 400L, key).expectStatus(201);
        oracle.refunded(customer, merchant.ownAccount(), 400);
        await().atMost(SINK_WAIT).until(() -> api.getRefund(merchant, first.id()).status() == 200);
        gateway.flushRedis();

        ApiResponse retry = api.refund(merchant, paymentId, 400L, key).expectStatus(201);
        gateway.flushRedis();
        ApiResponse reused = api.refund(merchant, paymentId, 500L, key).expectStatus(400);

        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(reused.errorCode()).isEqualTo("idempotency_key_reused");
        assertThat(ledger.count("SELECT count(*) FROM refunds WHERE payment_id = ?", paymentId)).isEqualTo(1);
        assertThat(CommandLog.keysStartingWith(gateway.kafkaBootstrap(), merchant.id() + ":" + key))
                .as("the retry and the reuse were published and deduplicated by the topology").hasSize(3);
        awaitBalancesMatchOracle(merchant, customer, merchant.ownAccount());
    }

    @Test
    void refundTheDestinationCannotCoverFailsWithInsufficientFunds() {
        // Plan: the customer pays the merchant 1,000, the merchant pays 800 of it on to its second
        // account, so its own account holds 200: a refund of 500 must fail 402 insufficient_funds and
        // move nothing; a refund of 200 must still complete.
        Merchant merchant = merchant("insufficient funds");
        String customer = fundedCustomer(merchant, 5_000);
        String paymentId = pay(merchant, customer, 1_000);
        String second = openAccount(merchant);
        api.pay(merchant, 800, "usd", merchant.ownAccount(), second).expectStatus(201);
        oracle.paid(merchant.id(), 800, "usd", merchant.ownAccount(), second);

        ApiResponse refused = api.refund(merchant, paymentId, 500L, ApiClient.newIdempotencyKey()).expectStatus(402);
        assertThat(refused.errorCode()).isEqualTo("insufficient_funds");
        assertRefund(refused.error().path("refund"), paymentId, 500, "failed");
        api.refund(merchant, paymentId, 200L, ApiClient.newIdempotencyKey()).expectStatus(201);
        oracle.refunded(customer, merchant.ownAccount(), 200);

        awaitBalancesMatchOracle(merchant, customer, merchant.ownAccount(), second);
    }

    @Test
    void refusedRefundsGetTheirErrorCodeAndPublishNothing() {
        // Plan: refunds of an unknown payment, of another merchant's payment (both 404, so one merchant
        // cannot learn another's ids), of a declined payment, of a deposit and of a payment older than
        // the refund window (400 payment_not_refundable); then the command topic, read read_committed, must hold none of
        // their keys, and no refund row may exist for those payments.
        Merchant merchant = merchant("refused");
        Merchant other = merchant("refused, other merchant");
        String customer = fundedCustomer(merchant, 500);
        String otherCustomer = fundedCustomer(other, 5_000);
        String othersPayment = pay(other, otherCustomer, 1_000);
        ApiResponse declined = api.pay(merchant, 1_000, "usd", customer, null).expectStatus(402);
        String depositId = api.deposit(merchant, customer, 100).expectStatus(201).id();
        oracle.deposited(customer, 100);
        await().atMost(SINK_WAIT).until(() -> "completed".equals(
                ledger.paymentStatuses(List.of(merchant.id())).get(depositId)));
        String tooOld = pay(merchant, customer, 100);
        // As if it completed before the refund window: 180 days and a few minutes ago.
        ledger.update("UPDATE payments SET created = now() - interval '180 days 5 minutes' WHERE id = ?", tooOld);
        List<String> keys = List.of(ApiClient.newIdempotencyKey(), ApiClient.newIdempotencyKey(),
                ApiClient.newIdempotencyKey(), ApiClient.newIdempotencyKey(), ApiClient.newIdempotencyKey());

        assertError(api.refund(merchant, ApiClient.unknownId("pay_"), 100L, keys.get(0)), 404, "resource_missing");
        assertError(api.refund(merchant, othersPayment, 100L, keys.get(1)), 404, "resource_missing");
        String declinedId = declined.error().path("payment").path("id").asText();
        await().atMost(SINK_WAIT).until(() -> "failed".equals(ledger.paymentStatuses(List.of(merchant.id())).get(declinedId)));
        assertError(api.refund(merchant, declinedId, 100L, keys.get(2)), 400, "payment_not_refundable");
        assertError(api.refund(merchant, depositId, 50L, keys.get(3)), 400, "payment_not_refundable");
        assertError(api.refund(merchant, tooOld, 50L, keys.get(4)), 400, "payment_not_refundable");

        List<String> published = CommandLog.keysStartingWith(gateway.kafkaBootstrap(), merchant.id() + ":");
        assertThat(published).doesNotContainAnyElementsOf(keys.stream().map(key -> merchant.id() + ":" + key).toList());
        assertThat(ledger.count("SELECT count(*) FROM refunds WHERE merchant_id = ?", merchant.id())).isZero();
        awaitBalancesMatchOracle(merchant, customer, merchant.ownAccount());
    }

    @Test
    void readCommittedConsumerSeesEachPaymentsEventsInSequenceWithoutGaps() {
        // Plan: two payments, each with completed and failed refunds interleaved between them. Read
        // payments.events as docs/events.md says (read_committed, from the beginning): per payment,
        // the sequences must be exactly 1..n in the order read, the types must follow the lifecycle
        // (completed, then requested/outcome pairs; PaymentInitiated first only if the payment took
        // the long way, which the account directory's lag behind an opening allows), and the last
        // event's payment state must be what GET answers.
        Merchant merchant = merchant("event order");
        String customer = fundedCustomer(merchant, 5_000);
        String one = pay(merchant, customer, 1_000);
        String two = pay(merchant, customer, 600);
        api.refund(merchant, one, 100L, ApiClient.newIdempotencyKey()).expectStatus(201);
        api.refund(merchant, two, 700L, ApiClient.newIdempotencyKey()).expectStatus(402);
        api.refund(merchant, one, 2_000L, ApiClient.newIdempotencyKey()).expectStatus(402);
        api.refund(merchant, two, null, ApiClient.newIdempotencyKey()).expectStatus(201);
        api.refund(merchant, one, 900L, ApiClient.newIdempotencyKey()).expectStatus(201);

        await().atMost(SINK_WAIT).untilAsserted(() -> {
            Map<String, List<PaymentEvent>> events = PaymentEventLog.eventsOf(gateway.kafkaBootstrap(), List.of(one, two));
            List<PaymentEventType> oneTypes = lifecycle(events.get(one), PaymentEventType.PaymentCompleted,
                    PaymentEventType.RefundRequested, PaymentEventType.RefundCompleted,
                    PaymentEventType.RefundRequested, PaymentEventType.RefundFailed,
                    PaymentEventType.RefundRequested, PaymentEventType.RefundCompleted);
            List<PaymentEventType> twoTypes = lifecycle(events.get(two), PaymentEventType.PaymentCompleted,
                    PaymentEventType.RefundRequested, PaymentEventType.RefundFailed,
                    PaymentEventType.RefundRequested, PaymentEventType.RefundCompleted);
            assertThat(events.get(one)).extracting(PaymentEvent::type).containsExactlyElementsOf(oneTypes);
            assertThat(events.get(two)).extracting(PaymentEvent::type).containsExactlyElementsOf(twoTypes);
            assertThat(events.get(one)).extracting(PaymentEvent::sequence)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, oneTypes.size()).boxed().toList());
            assertThat(events.get(two)).extracting(PaymentEvent::sequence)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, twoTypes.size()).boxed().toList());
            PaymentEvent last = events.get(one).get(oneTypes.size() - 1);
            JsonNode payment = api.getPayment(merchant, one).expectStatus(200).body();
            assertThat(payment.path("status").asText()).isEqualTo(last.payment().status().wireName())
                    .isEqualTo("refunded");
            assertThat(payment.path("amount_refunded").asLong()).isEqualTo(last.payment().amountRefunded());
        });
    }

    /**
     * The event types a payment must have, from its outcome on: {@code fromOutcome}, preceded by
     * PaymentInitiated when the payment's own first event says it took the long way.
     */
    private static List<PaymentEventType> lifecycle(List<PaymentEvent> events, PaymentEventType... fromOutcome) {
        List<PaymentEventType> expected = new ArrayList<>();
        if (!events.isEmpty() && events.get(0).type() == PaymentEventType.PaymentInitiated) {
            expected.add(PaymentEventType.PaymentInitiated);
        }
        expected.addAll(List.of(fromOutcome));
        return expected;
    }

    private List<JsonNode> refundConcurrently(Merchant merchant, String paymentId, int count, long amount)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<ApiResponse>> answers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String key = ApiClient.newIdempotencyKey();
                answers.add(pool.submit(() -> {
                    start.await();
                    return api.refund(merchant, paymentId, amount, key);
                }));
            }
            start.countDown();
            List<JsonNode> outcomes = new ArrayList<>();
            for (Future<ApiResponse> answer : answers) {
                outcomes.add(outcome(merchant, answer.get(60, TimeUnit.SECONDS)));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The refund an answer reports: 201 completed, 402 refund_exceeds_payment with the failed refund,
     * or, should this slow machine answer 202 pending, the refund as the ledger settles it.
     */
    private JsonNode outcome(Merchant merchant, ApiResponse response) {
        if (response.status() == 201) {
            return response.body();
        }
        if (response.status() == 402) {
            assertThat(response.errorCode()).as("%s", response).isEqualTo("refund_exceeds_payment");
            return response.error().path("refund");
        }
        assertThat(response.status()).as("%s", response).isEqualTo(202);
        String refundId = response.id();
        await().atMost(SINK_WAIT).until(() -> {
            ApiResponse stored = api.getRefund(merchant, refundId);
            return stored.status() == 200 && !stored.body().path("status").asText().equals("pending");
        });
        return api.getRefund(merchant, refundId).expectStatus(200).body();
    }

    private static void assertRefund(JsonNode refund, String paymentId, long amount, String status) {
        assertThat(refund.path("id").asText()).matches(REFUND_ID);
        assertThat(refund.path("object").asText()).isEqualTo("refund");
        assertThat(refund.path("payment").asText()).isEqualTo(paymentId);
        assertThat(refund.path("amount").asLong()).isEqualTo(amount);
        assertThat(refund.path("currency").asText()).isEqualTo("usd");
        assertThat(refund.path("status").asText()).isEqualTo(status);
        assertThat(refund.has("failure_code")).isTrue();
        assertThat(refund.path("created").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
    }

    private static void assertError(ApiResponse response, int status, String code) {
        assertThat(response.status()).as("%s", response).isEqualTo(status);
        assertThat(response.errorCode()).as("%s", response).isEqualTo(code);
        assertThat(response.errorParam()).as("%s", response).isEqualTo("id");
    }

    private Merchant merchant(String name) {
        Merchant merchant = api.createMerchant("RefundIT " + name);
        oracle.opened(merchant.ownAccount(), merchant.id(), "usd");
        return merchant;
    }

    private String openAccount(Merchant merchant) {
        String account = api.openAccount(merchant, "usd");
        oracle.opened(account, merchant.id(), "usd");
        return account;
    }

    private String fundedCustomer(Merchant merchant, long amount) {
        String customer = openAccount(merchant);
        api.deposit(merchant, customer, amount).expectStatus(201);
        oracle.deposited(customer, amount);
        return customer;
    }

    /** A completed payment from {@code customer} to the merchant's own account. */
    private String pay(Merchant merchant, String customer, long amount) {
        String paymentId = api.pay(merchant, amount, "usd", customer, null).expectStatus(201).id();
        oracle.paid(merchant.id(), amount, "usd", customer, merchant.ownAccount());
        // Refund tests read the payment back through the ledger, as the sink wrote it.
        await().atMost(SINK_WAIT).until(() -> "completed".equals(
                api.getPayment(merchant, paymentId).body().path("status").asText()));
        return paymentId;
    }

    private void awaitBalancesMatchOracle(Merchant owner, String... accounts) {
        await().atMost(SINK_WAIT).untilAsserted(() -> {
            for (String account : accounts) {
                long expected = oracle.balance(account);
                assertThat(api.balance(owner, account)).as("balance of %s by GET", account).isEqualTo(expected);
                assertThat(ledger.storedBalance(account)).as("stored balance of %s", account).isEqualTo(expected);
                assertThat(ledger.sumOfEntries(account)).as("sum of the entries of %s", account).isEqualTo(expected);
            }
        });
    }

    private void assertLedgerVerifies() {
        // "payment_settled" depends on other tests' traffic having settled, so it is awaited like the rest.
        LedgerVerifier verifier = new LedgerVerifier(gateway.dataSource(), Duration.ZERO, 10);
        await().atMost(SINK_WAIT).untilAsserted(() -> {
            List<InvariantResult> results = verifier.verify();
            assertThat(results).filteredOn(result -> !result.holds()).as("violated invariants").isEmpty();
            assertThat(results).extracting(InvariantResult::invariant)
                    .contains("refunds_within_payment", "amount_refunded_equals_completed_refunds");
        });
    }
}
