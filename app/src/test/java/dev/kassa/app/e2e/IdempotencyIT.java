package dev.kassa.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kassa.app.e2e.ApiClient.Merchant;
import dev.kassa.runtime.EmbeddedRuntime;
import dev.kassa.testing.LedgerSql;
import dev.kassa.testing.SharedRuntime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * docs/api.md's idempotency contract on the real gateway and Redis: replays byte for byte, refusals of a
 * reused key, concurrency on one key, nothing stored for a rejected request, per-merchant scope, and
 * a Redis outage that degrades the API instead of failing it. Every payment is counted in SQL and
 * every balance compared with the test's own expectation, so "executed once" means charged once.
 */
@Tag("integration")
@ExtendWith({SharedRuntime.class, SharedGateway.class})
class IdempotencyIT {

    private static final Duration SINK_WAIT = Duration.ofSeconds(30);
    private static final long FUNDED = 10_000;

    private final ApiClient api;
    private final LedgerSql ledger;
    private final String kafkaBootstrap;
    private final EmbeddedRuntime runtime;
    private final TestGateway gateway;

    IdempotencyIT(TestGateway gateway, EmbeddedRuntime runtime) {
        this.gateway = gateway;
        this.api = gateway.api();
        this.ledger = gateway.ledger();
        this.kafkaBootstrap = gateway.kafkaBootstrap();
        this.runtime = runtime;
    }

    @Test
    void retriedPaymentWithSameKeyIsReplayedByteForByteAndChargedOnce() {
        // Plan: pay 2,500 with a key, then send the same request twice more. Both retries must get
        // the first 201's exact bytes plus Idempotent-Replayed: true; the ledger must hold one payment
        // and the balance must be 10,000 - 2,500, whatever the retries did.
        Merchant merchant = api.createMerchant("idempotent replay");
        String customer = funded(merchant);
        String key = ApiClient.newIdempotencyKey();
        ObjectNode body = ApiClient.paymentBody(2_500, "usd", customer, null);

        ApiResponse first = api.pay(merchant, body, key).expectStatus(201);
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        for (int retry = 0; retry < 2; retry++) {
            ApiResponse replay = api.pay(merchant, body, key);
            assertThat(replay.status()).isEqualTo(201);
            assertThat(replay.rawBody()).isEqualTo(first.rawBody());
            assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        }

        awaitPaymentsAndBalance(merchant, 2, customer, FUNDED - 2_500);
        assertThat(commandsWithKey(merchant, key)).isEqualTo(1);
    }

    @Test
    void declinedPaymentIsReplayedToo() {
        // Plan: a 402 insufficient_funds is an executed request: its retry gets the same 402 bytes,
        // replayed, and no second (failed) payment row appears.
        Merchant merchant = api.createMerchant("idempotent decline");
        String customer = funded(merchant);
        String key = ApiClient.newIdempotencyKey();
        ObjectNode body = ApiClient.paymentBody(FUNDED + 1, "usd", customer, null);

        ApiResponse first = api.pay(merchant, body, key).expectStatus(402);
        ApiResponse replay = api.pay(merchant, body, key).expectStatus(402);

        assertThat(replay.rawBody()).isEqualTo(first.rawBody());
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        awaitPaymentsAndBalance(merchant, 2, customer, FUNDED);
        assertThat(commandsWithKey(merchant, key)).isEqualTo(1);
    }

    @Test
    void retriesOfPaymentsFirstAnswered202AreAnsweredWithTheirOutcomeOnceItIsKnown() {
        // Plan: through a second API instance that waits for no outcome, a payment and a payment the
        // source cannot cover are each answered 202 at once, while the topology decides them as usual.
        // Wait until the ledger has both decided. A retry of each, through that instance, must then
        // answer the outcome, as a first answer would have: 201 completed and 402 insufficient_funds,
        // under the first answer's payment id, replayed; and neither was executed twice.
        Merchant merchant = api.createMerchant("202 resolved by a retry");
        String customer = funded(merchant);
        ApiClient impatient = gateway.anotherApi(Duration.ZERO);
        String paidKey = ApiClient.newIdempotencyKey();
        String declinedKey = ApiClient.newIdempotencyKey();
        ObjectNode paidBody = ApiClient.paymentBody(700, "usd", customer, null);
        ObjectNode declinedBody = ApiClient.paymentBody(FUNDED + 1, "usd", customer, null);

        ApiResponse paidFirst = impatient.pay(merchant, paidBody, paidKey).expectStatus(202);
        ApiResponse declinedFirst = impatient.pay(merchant, declinedBody, declinedKey).expectStatus(202);
        await().atMost(SINK_WAIT).untilAsserted(() -> {
            assertThat(api.getPayment(merchant, paidFirst.id()).body().path("status").asText()).isEqualTo("completed");
            assertThat(api.getPayment(merchant, declinedFirst.id()).body().path("status").asText()).isEqualTo("failed");
        });
        ApiResponse paid = impatient.pay(merchant, paidBody, paidKey);
        ApiResponse declined = impatient.pay(merchant, declinedBody, declinedKey);

        assertThat(paid.status()).as("%s", paid).isEqualTo(201);
        assertThat(paid.id()).isEqualTo(paidFirst.id());
        assertThat(paid.body().path("status").asText()).isEqualTo("completed");
        assertThat(paid.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(declined.status()).as("%s", declined).isEqualTo(402);
        assertThat(declined.errorCode()).isEqualTo("insufficient_funds");
        assertThat(declined.body().path("error").path("payment").path("id").asText()).isEqualTo(declinedFirst.id());
        assertThat(declined.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        awaitPaymentsAndBalance(merchant, 3, customer, FUNDED - 700);
        assertThat(commandsWithKey(merchant, paidKey)).isEqualTo(1);
        assertThat(commandsWithKey(merchant, declinedKey)).isEqualTo(1);
    }

    @Test
    void aRetriedAccountOpeningFirstAnswered202IsAnswered201OnceTheAccountIsOpen() {
        // Plan: through a second API instance that waits for no outcome, an opening is answered 202 with
        // the new account's id while the topology opens it as usual. Once the account can be read (GET
        // through the first instance), a retry with the same key through the impatient instance must
        // answer 201 with that same account, replayed, as a first answer would have; one command was
        // published for the key, and the account takes a deposit. On a guard that replays every 202 as
        // stored, the retry answers 202 for the key's lifetime.
        Merchant merchant = api.createMerchant("opening resolved by a retry");
        ApiClient impatient = gateway.anotherApi(Duration.ZERO);
        String key = ApiClient.newIdempotencyKey();
        ApiClient.Call opening = ApiClient.call("POST", "/v1/accounts").bearer(merchant.secretKey())
                .idempotencyKey(key).json(ApiClient.JSON.createObjectNode().put("currency", "usd"));

        ApiResponse first = impatient.send(opening).expectStatus(202);
        await().atMost(SINK_WAIT).untilAsserted(() -> assertThat(api.getAccount(merchant, first.id()).status())
                .isEqualTo(200));
        ApiResponse retry = impatient.send(opening);

        assertThat(retry.status()).as("%s", retry).isEqualTo(201);
        assertThat(retry.id()).isEqualTo(first.id());
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(retry.body().path("object").asText()).isEqualTo("account");
        assertThat(retry.body().path("balance").asLong()).isZero();
        assertThat(retry.body().path("created").asText()).isEqualTo(first.body().path("created").asText());
        assertThat(commandsWithKey(merchant, key)).isEqualTo(1);
        assertThat(api.deposit(merchant, first.id(), 500).status()).isEqualTo(201);
    }

    @Test
    void aRetriedMerchantCreationGetsTheMerchantWithoutItsSecretKeyWhichRedisNeverHolds() {
        // Plan: create a merchant with a key and retry it. The retry is the same merchant, replayed,
        // with "secret_key": null: the key is shown once. The replay record is in Redis (it names the
        // merchant) but no value in Redis holds the secret, and the secret still authenticates.
        String key = ApiClient.newIdempotencyKey();
        ObjectNode body = ApiClient.JSON.createObjectNode().put("name", "secret shown once").put("currency", "usd");
        ApiClient.Call creation = ApiClient.call("POST", "/admin/merchants").bearer(gateway.adminToken())
                .idempotencyKey(key).json(body);

        ApiResponse first = api.send(creation).expectStatus(201);
        ApiResponse retry = api.send(creation);

        String secret = first.body().path("secret_key").asText();
        assertThat(secret).startsWith("sk_");
        assertThat(retry.status()).as("%s", retry).isEqualTo(201);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(retry.id()).isEqualTo(first.id());
        assertThat(retry.body().path("account").asText()).isEqualTo(first.body().path("account").asText());
        assertThat(retry.body().has("secret_key")).isTrue();
        assertThat(retry.body().path("secret_key").isNull()).as("%s", retry.rawBody()).isTrue();
        assertThat(gateway.redisValues()).anyMatch(value -> value.contains(first.id()))
                .noneMatch(value -> value.contains(secret));
        Merchant merchant = new Merchant(first.id(), secret, first.body().path("account").asText());
        assertThat(api.balance(merchant, merchant.ownAccount())).isZero();
    }

    @Test
    void sameKeyWithOtherParametersIsRefusedAndExecutesNothing() {
        // Plan: pay 100 with a key, then the same key with 200. The second must be 400
        // idempotency_key_reused, the command topic must hold one command of that key, and only
        // the 100 leaves the account.
        Merchant merchant = api.createMerchant("idempotent reuse");
        String customer = funded(merchant);
        String key = ApiClient.newIdempotencyKey();
        api.pay(merchant, ApiClient.paymentBody(100, "usd", customer, null), key).expectStatus(201);

        ApiResponse reused = api.pay(merchant, ApiClient.paymentBody(200, "usd", customer, null), key);

        assertThat(reused.status()).as("%s", reused).isEqualTo(400);
        assertThat(reused.errorType()).isEqualTo("idempotency_error");
        assertThat(reused.errorCode()).isEqualTo("idempotency_key_reused");
        assertThat(commandsWithKey(merchant, key)).isEqualTo(1);
        awaitPaymentsAndBalance(merchant, 2, customer, FUNDED - 100);
    }

    @Test
    void fiftyConcurrentRequestsWithOneKeyPayOnce() throws Exception {
        // Plan: 50 threads wait on one latch, then send the same payment with the same key at once.
        // Exactly one may execute: every answer is that payment's 201 (first or replayed) or a 409
        // idempotency_key_in_use; SQL must show one payment and the balance one debit.
        Merchant merchant = api.createMerchant("idempotent concurrency");
        String customer = funded(merchant);
        String key = ApiClient.newIdempotencyKey();
        ObjectNode body = ApiClient.paymentBody(300, "usd", customer, null);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ApiResponse>> answers = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(50);
        try {
            for (int i = 0; i < 50; i++) {
                answers.add(clients.submit(() -> {
                    start.await();
                    return api.pay(merchant, body, key);
                }));
            }
            start.countDown();
            List<ApiResponse> responses = new ArrayList<>();
            for (Future<ApiResponse> answer : answers) {
                responses.add(answer.get(60, TimeUnit.SECONDS));
            }
            List<ApiResponse> created = responses.stream().filter(response -> response.status() == 201).toList();
            assertThat(created).isNotEmpty();
            String paymentBody = created.get(0).rawBody();
            for (ApiResponse response : responses) {
                if (response.status() == 201) {
                    assertThat(response.rawBody()).isEqualTo(paymentBody);
                } else {
                    assertThat(response.status()).as("%s", response).isEqualTo(409);
                    assertThat(response.errorCode()).isEqualTo("idempotency_key_in_use");
                }
            }
            assertThat(created.stream().filter(r -> r.headers().firstValue("Idempotent-Replayed").isEmpty()))
                    .as("one first answer").hasSize(1);
        } finally {
            clients.shutdownNow();
        }
        awaitPaymentsAndBalance(merchant, 2, customer, FUNDED - 300);
        assertThat(commandsWithKey(merchant, key)).isEqualTo(1);
    }

    @Test
    void requestRejectedByValidationStoresNothing() {
        // Plan: a payment with a negative amount is refused 400 before execution; the same key with a
        // fixed body must then execute (201, not a replay of the 400, not key_reused).
        Merchant merchant = api.createMerchant("idempotent validation");
        String customer = funded(merchant);
        String key = ApiClient.newIdempotencyKey();

        ApiResponse invalid = api.pay(merchant, ApiClient.paymentBody(-5, "usd", customer, null), key);
        assertThat(invalid.status()).as("%s", invalid).isEqualTo(400);
        assertThat(invalid.errorType()).isEqualTo("invalid_request_error");

        ApiResponse fixed = api.pay(merchant, ApiClient.paymentBody(50, "usd", customer, null), key).expectStatus(201);
        assertThat(fixed.headers().firstValue("Idempotent-Replayed")).isEmpty();
        awaitPaymentsAndBalance(merchant, 2, customer, FUNDED - 50);
    }

    @Test
    void sameKeyFromTwoMerchantsMakesTwoPayments() {
        // Plan: two merchants use one key for the same-looking request; keys are scoped per
        // merchant, so each gets its own first (not replayed) 201 and its own payment.
        Merchant first = api.createMerchant("idempotent scope a");
        Merchant second = api.createMerchant("idempotent scope b");
        String firstCustomer = funded(first);
        String secondCustomer = funded(second);
        String key = ApiClient.newIdempotencyKey();

        ApiResponse a = api.pay(first, ApiClient.paymentBody(70, "usd", firstCustomer, null), key).expectStatus(201);
        ApiResponse b = api.pay(second, ApiClient.paymentBody(70, "usd", secondCustomer, null), key).expectStatus(201);

        assertThat(a.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(b.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(a.id()).isNotEqualTo(b.id());
        awaitPaymentsAndBalance(first, 2, firstCustomer, FUNDED - 70);
        awaitPaymentsAndBalance(second, 2, secondCustomer, FUNDED - 70);
    }

    @Test
    void redisOutageDegradesTheApiAndReplaysResumeWhenItReturns() {
        // Plan: stop the embedded Redis. Payments must still be 201 (executed without the replay
        // cache), their retries must answer the same payment (the dedupe store and Postgres hold the
        // key) and /ready must say redis degraded with HTTP 200. Start Redis again: without
        // restarting the API, a new payment's retry must be replayed from Redis again.
        Merchant merchant = api.createMerchant("idempotent redis outage");
        String customer = funded(merchant);
        String outageKey = ApiClient.newIdempotencyKey();
        ObjectNode outageBody = ApiClient.paymentBody(40, "usd", customer, null);
        runtime.redis().stop();
        try {
            ApiResponse paid = api.pay(merchant, outageBody, outageKey);
            assertThat(paid.status()).as("%s", paid).isEqualTo(201);
            // Retries during the outage: answered by the topology's dedupe store or Postgres, never paid again.
            for (int retry = 0; retry < 3; retry++) {
                ApiResponse again = api.pay(merchant, outageBody, outageKey);
                assertThat(again.status()).as("%s", again).isEqualTo(201);
                assertThat(again.id()).isEqualTo(paid.id());
            }
            ApiResponse ready = api.ready();
            assertThat(ready.status()).as("%s", ready).isEqualTo(200);
            assertThat(ready.body().path("status").asText()).isEqualTo("degraded");
            assertThat(ready.body().path("components").path("redis").path("status").asText()).isEqualTo("degraded");
        } finally {
            runtime.redis().start();
        }

        String key = ApiClient.newIdempotencyKey();
        ObjectNode body = ApiClient.paymentBody(60, "usd", customer, null);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(api.ready().body().path("status").asText()).isEqualTo("ok"));
        ApiResponse first = api.pay(merchant, body, key).expectStatus(201);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            ApiResponse replay = api.pay(merchant, body, key);
            assertThat(replay.headers().firstValue("Idempotent-Replayed")).as("%s", replay).hasValue("true");
            assertThat(replay.rawBody()).isEqualTo(first.rawBody());
        });
        awaitPaymentsAndBalance(merchant, 3, customer, FUNDED - 40 - 60);
    }

    /**
     * Which lines of idempotency lose the key before a retry, and so how many commands carry it in the
     * end: Postgres answers without publishing; without Postgres the retry reaches the topology, whose
     * dedupe store must not execute it.
     */
    enum Loss {
        /** FLUSHALL on Redis: Postgres's idempotency_keys answers. */
        REDIS(1),
        /** FLUSHALL and the key's Postgres row deleted, as when a retry overtakes the sink: the topology answers. */
        REDIS_AND_POSTGRES(2);

        final int commands;

        Loss(int commands) {
            this.commands = commands;
        }
    }

    @ParameterizedTest
    @EnumSource(Loss.class)
    void completedPaymentRetriedAfterTheKeyWasLostAnswersTheOriginalPaymentAndChargesOnce(Loss loss) {
        // Plan: pay with a key, wait for the sink, lose the key, retry. The API must answer the
        // ORIGINAL payment's 201; the ledger must hold one payment and one debit.
        Merchant merchant = api.createMerchant("key lost completed " + loss);
        String customer = funded(merchant);
        String key = ApiClient.newIdempotencyKey();
        ObjectNode body = ApiClient.paymentBody(2_500, "usd", customer, null);

        ApiResponse first = api.pay(merchant, body, key).expectStatus(201);
        awaitPaymentsAndBalance(merchant, 2, customer, FUNDED - 2_500);
        lose(loss, merchant, key);

        ApiResponse retry = api.pay(merchant, body, key);
        assertThat(retry.status()).as("%s", retry).isEqualTo(201);
        assertThat(retry.id()).isEqualTo(first.id());
        assertThat(retry.body()).isEqualTo(first.body());
        assertExecutedOnce(merchant, key, customer, FUNDED - 2_500, loss.commands);
    }

    @ParameterizedTest
    @EnumSource(Loss.class)
    void declinedPaymentRetriedAfterTheKeyWasLostAnswersTheOriginalDecline(Loss loss) {
        Merchant merchant = api.createMerchant("key lost declined " + loss);
        String customer = funded(merchant);
        String key = ApiClient.newIdempotencyKey();
        ObjectNode body = ApiClient.paymentBody(FUNDED + 1, "usd", customer, null);

        ApiResponse first = api.pay(merchant, body, key).expectStatus(402);
        awaitPaymentsAndBalance(merchant, 2, customer, FUNDED);
        lose(loss, merchant, key);

        ApiResponse retry = api.pay(merchant, body, key);
        assertThat(retry.status()).as("%s", retry).isEqualTo(402);
        assertThat(retry.body()).isEqualTo(first.body());
        assertExecutedOnce(merchant, key, customer, FUNDED, loss.commands);
    }

    @ParameterizedTest
    @EnumSource(Loss.class)
    void keyReusedWithOtherParametersAfterTheKeyWasLostIsRefused(Loss loss) {
        // Plan: pay 1,000 with a key, lose it, then send 3,000 with the same key. Postgres, or else the
        // dedupe store, keeps the first request's fingerprint: 400 idempotency_key_reused, nothing charged.
        Merchant merchant = api.createMerchant("key lost reused " + loss);
        String customer = funded(merchant);
        String key = ApiClient.newIdempotencyKey();
        api.pay(merchant, ApiClient.paymentBody(1_000, "usd", customer, null), key).expectStatus(201);
        awaitPaymentsAndBalance(merchant, 2, customer, FUNDED - 1_000);
        lose(loss, merchant, key);

        ApiResponse reused = api.pay(merchant, ApiClient.paymentBody(3_000, "usd", customer, null), key);

        assertThat(reused.status()).as("%s", reused).isEqualTo(400);
        assertThat(reused.errorCode()).isEqualTo("idempotency_key_reused");
        assertExecutedOnce(merchant, key, customer, FUNDED - 1_000, loss.commands);
    }

    private void lose(Loss loss, Merchant merchant, String key) {
        gateway.flushRedis();
        if (loss == Loss.REDIS_AND_POSTGRES) {
            assertThat(ledger.update("DELETE FROM idempotency_keys WHERE merchant_id = ? AND idempotency_key = ?",
                    merchant.id(), key)).as("the sink wrote the key with the payment").isEqualTo(1);
        }
    }

    @Test
    void accountOpeningRetriedAfterRedisLostItsKeyAnswersTheOriginalAccount() {
        // Plan: open an account, FLUSHALL Redis, retry the same request a second later. The topology
        // deduplicates the command; the answer must be the first account, with its own creation
        // time (not the retry's), and the merchant must have one account more, not two.
        Merchant merchant = api.createMerchant("redis loss account");
        String key = ApiClient.newIdempotencyKey();
        ApiResponse first = api.send(ApiClient.call("POST", "/v1/accounts").bearer(merchant.secretKey())
                .idempotencyKey(key).json(ApiClient.JSON.createObjectNode().put("currency", "eur"))).expectStatus(201);
        gateway.flushRedis();
        // Until the clock is past the first answer's second, so a creation time taken from the retry would show.
        await().atMost(Duration.ofSeconds(5)).until(() ->
                Instant.now().truncatedTo(ChronoUnit.SECONDS).isAfter(Instant.parse(first.body().path("created").asText())));

        ApiResponse retry = api.send(ApiClient.call("POST", "/v1/accounts").bearer(merchant.secretKey())
                .idempotencyKey(key).json(ApiClient.JSON.createObjectNode().put("currency", "eur")));

        assertThat(retry.status()).as("%s", retry).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(ledger.accountIds(merchant.id())).hasSize(2).contains(first.id());
    }

    /**
     * One payment with the key, the balance charged once, and {@code commands} commands published with
     * the key: 1 when the API answered without publishing, 2 when the topology deduplicated the second.
     */
    private void assertExecutedOnce(Merchant merchant, String key, String customer, long balance, int commands) {
        awaitPaymentsAndBalance(merchant, 2, customer, balance);
        assertThat(ledger.count("SELECT count(*) FROM payments WHERE merchant_id = ? AND idempotency_key = ?",
                merchant.id(), key)).isEqualTo(1);
        assertThat(commandsWithKey(merchant, key)).isEqualTo(commands);
    }

    /** An account of the merchant funded with {@link #FUNDED}. */
    private String funded(Merchant merchant) {
        String customer = api.openAccount(merchant, "usd");
        api.deposit(merchant, customer, FUNDED).expectStatus(201);
        return customer;
    }

    /** Waits for the sink: {@code rows} payment and deposit rows of the merchant, and the balance by GET and SQL. */
    private void awaitPaymentsAndBalance(Merchant merchant, int rows, String customer, long balance) {
        await().atMost(SINK_WAIT).untilAsserted(() -> {
            assertThat(ledger.paymentStatuses(List.of(merchant.id()))).hasSize(rows);
            assertThat(ledger.sumOfEntries(customer)).isEqualTo(balance);
            assertThat(api.balance(merchant, customer)).isEqualTo(balance);
        });
    }

    private long commandsWithKey(Merchant merchant, String key) {
        return Collections.frequency(CommandLog.keysStartingWith(kafkaBootstrap, merchant.id() + ":"),
                merchant.id() + ":" + key);
    }
}
