package dev.kassa.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kassa.app.IdempotencySettings;
import dev.kassa.app.e2e.ApiClient.Merchant;
import dev.kassa.ledger.verify.LedgerVerifier;
import dev.kassa.runtime.EmbeddedRuntime;
import dev.kassa.testing.DedicatedRuntime;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How long each line of idempotency remembers a key, and that the topology's memory survives a
 * restart, on a runtime of this class's own: each test runs a gateway with its own retentions
 * (seconds long where expiry is the point), and a second gateway on a shared broker would split the
 * topology's partitions with the first. docs/api.md's table of which line answers when is what is checked.
 */
@Tag("integration")
@ExtendWith(DedicatedRuntime.class)
class KeyLifetimeIT {

    private static final Duration SHORT = Duration.ofSeconds(1);
    private static final Duration SINK_WAIT = Duration.ofSeconds(30);
    private static final long FUNDED = 10_000;

    private final EmbeddedRuntime runtime;

    KeyLifetimeIT(EmbeddedRuntime runtime) {
        this.runtime = runtime;
    }

    @Test
    void retryAfterEveryLineForgotTheKeyIsANewPayment() {
        // Plan: Redis, the dedupe store and Postgres all keep keys for one second. Retry a payment
        // again and again: while any line remembers the key, the answer is the first payment; once
        // all have forgotten it, a retry is a new payment, as with Stripe. Two payments, two debits.
        try (TestGateway gateway = TestGateway.start(runtime, "kassa_forgetful", retention(SHORT))) {
            ApiClient api = gateway.api();
            Paid paid = pay(api, "forgetful");
            Merchant merchant = paid.merchant();
            String customer = paid.customer();
            String key = paid.key();
            ObjectNode body = paid.body();
            ApiResponse first = paid.first();

            AtomicReference<ApiResponse> renewed = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
                ApiResponse retry = api.pay(merchant, body, key);
                assertThat(retry.status()).as("%s", retry).isEqualTo(201);
                renewed.set(retry);
                return !retry.id().equals(first.id());
            });

            awaitPaymentsAndBalance(gateway, merchant, 3, customer, FUNDED - 2 * 1_000);
            assertThat(gateway.ledger().strings("SELECT id FROM payments WHERE merchant_id = ? AND idempotency_key = ?"
                    + " ORDER BY id", merchant.id(), key)).containsExactly(first.id(), renewed.get().id());
        }
    }

    @Test
    void retryAfterRedisAndTheTopologyForgotTheKeyIsAnsweredFromPostgres() {
        // Plan: Redis and the dedupe store keep keys for one second, Postgres for 30 days. Retry until
        // a retry is answered from Postgres (the API counts those); every answer must be the first
        // payment, nothing may be published again, and the customer is charged once.
        IdempotencySettings retention = retention(Duration.ofDays(30));
        try (TestGateway gateway = TestGateway.start(runtime, "kassa_ledger_keys", retention)) {
            ApiClient api = gateway.api();
            Paid paid = pay(api, "ledger keys");
            Merchant merchant = paid.merchant();
            String customer = paid.customer();
            String key = paid.key();
            ObjectNode body = paid.body();
            ApiResponse first = paid.first();
            awaitPaymentsAndBalance(gateway, merchant, 2, customer, FUNDED - 1_000);
            double hitsBefore = ledgerKeyHits(api);

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
                ApiResponse retry = api.pay(merchant, body, key);
                assertThat(retry.status()).as("%s", retry).isEqualTo(201);
                assertThat(retry.id()).isEqualTo(first.id());
                return ledgerKeyHits(api) > hitsBefore;
            });

            awaitPaymentsAndBalance(gateway, merchant, 2, customer, FUNDED - 1_000);
            assertThat(commandsWithKey(gateway, merchant, key)).isEqualTo(1);
        }
    }

    @Test
    void topologyRestartedWithoutItsLocalStateStillRefusesTheRetry() {
        // Plan: pay, then restart the topology after deleting its local state (it restores the dedupe
        // store from its changelog), lose the key in Redis and Postgres, and retry. Only the dedupe
        // store can answer now: the retry must be the first payment, charged once, published twice.
        try (TestGateway gateway = TestGateway.start(runtime, "kassa_restart", IdempotencySettings.DEFAULTS)) {
            ApiClient api = gateway.api();
            Paid paid = pay(api, "topology restart");
            Merchant merchant = paid.merchant();
            String customer = paid.customer();
            String key = paid.key();
            ObjectNode body = paid.body();
            ApiResponse first = paid.first();
            awaitPaymentsAndBalance(gateway, merchant, 2, customer, FUNDED - 1_000);

            gateway.restartTopologyWithoutLocalState();
            gateway.flushRedis();
            assertThat(gateway.ledger().update("DELETE FROM idempotency_keys WHERE merchant_id = ? AND idempotency_key = ?",
                    merchant.id(), key)).isEqualTo(1);

            ApiResponse retry = api.pay(merchant, body, key);
            assertThat(retry.status()).as("%s", retry).isEqualTo(201);
            assertThat(retry.id()).isEqualTo(first.id());
            awaitPaymentsAndBalance(gateway, merchant, 2, customer, FUNDED - 1_000);
            assertThat(commandsWithKey(gateway, merchant, key)).isEqualTo(2);
        }
    }

    @Test
    void keyReusedFromAnotherSourceWhereNoLineRemembersItExecutesOnceAndVerifyReportsTheConflict() throws Exception {
        // Plan: the one window docs/api.md admits. Pay 1,000 from customer A with a key; then lose the
        // key in Redis and in Postgres (as when the sink has not written it yet) and reuse it for 3,000
        // from customer B, whose partition is not A's: B's task has never seen the key, so the second
        // request executes. It is B's own payment: A is charged once, B once, nobody twice; the sink
        // keeps the key on one payment, and kassa ledger verify reports the key (invariant 1) while
        // every other invariant holds. The same reuse from A itself is refused (IdempotencyIT).
        try (TestGateway gateway = TestGateway.start(runtime, "kassa_reuse_window", IdempotencySettings.DEFAULTS)) {
            ApiClient api = gateway.api();
            Paid paid = pay(api, "reuse window");
            Merchant merchant = paid.merchant();
            String other = customerOnAnotherPartition(gateway, merchant, paid.customer());
            awaitPaymentsAndBalance(gateway, merchant, 3, paid.customer(), FUNDED - 1_000);
            gateway.flushRedis();
            assertThat(gateway.ledger().update("DELETE FROM idempotency_keys WHERE merchant_id = ? AND idempotency_key = ?",
                    merchant.id(), paid.key())).isEqualTo(1);

            ApiResponse reused = api.pay(merchant, ApiClient.paymentBody(3_000, "usd", other, null), paid.key());

            assertThat(reused.status()).as("%s", reused).isEqualTo(201);
            assertThat(reused.id()).isNotEqualTo(paid.first().id());
            awaitPaymentsAndBalance(gateway, merchant, 4, other, FUNDED - 3_000);
            assertThat(gateway.ledger().sumOfEntries(paid.customer())).isEqualTo(FUNDED - 1_000);
            LedgerVerifier verifier = new LedgerVerifier(gateway.dataSource(), Duration.ZERO, 10);
            // The sink replays this runtime's whole event log into the test's own database, so keys the
            // other tests reused on purpose (after their expiry) are reported too: only this merchant's count.
            await().atMost(SINK_WAIT).untilAsserted(() -> assertThat(verifier.verify())
                    .filteredOn(result -> !result.holds()).singleElement().satisfies(result -> {
                        assertThat(result.invariant()).isEqualTo("idempotency_key_used_once");
                        assertThat(result.sampleIds()).filteredOn(id -> id.startsWith(merchant.id() + ":"))
                                .containsExactly(merchant.id() + ":" + paid.key());
                    }));
        }
    }

    /** A funded customer of {@code merchant} whose commands land on another partition than {@code customer}'s. */
    private static String customerOnAnotherPartition(TestGateway gateway, Merchant merchant, String customer) {
        ApiClient api = gateway.api();
        for (int attempt = 0; attempt < 32; attempt++) {
            String candidate = api.openAccount(merchant, "usd");
            if (gateway.partitionOf(candidate) != gateway.partitionOf(customer)) {
                api.deposit(merchant, candidate, FUNDED).expectStatus(201);
                return candidate;
            }
        }
        throw new AssertionError("32 accounts in a row hashed to the partition of " + customer);
    }

    /** A first payment of 1,000 with a fresh key, out of a new merchant's customer account funded with {@link #FUNDED}. */
    private record Paid(Merchant merchant, String customer, String key, ObjectNode body, ApiResponse first) {
    }

    private static Paid pay(ApiClient api, String merchantName) {
        Merchant merchant = api.createMerchant(merchantName);
        String customer = api.openAccount(merchant, "usd");
        api.deposit(merchant, customer, FUNDED).expectStatus(201);
        String key = ApiClient.newIdempotencyKey();
        ObjectNode body = ApiClient.paymentBody(1_000, "usd", customer, null);
        return new Paid(merchant, customer, key, body, api.pay(merchant, body, key).expectStatus(201));
    }

    /** Waits for the sink: {@code rows} payment and deposit rows of the merchant, and the balance by GET and SQL. */
    private static void awaitPaymentsAndBalance(TestGateway gateway, Merchant merchant, int rows, String customer,
                                                long balance) {
        await().atMost(SINK_WAIT).untilAsserted(() -> {
            assertThat(gateway.ledger().paymentStatuses(List.of(merchant.id()))).hasSize(rows);
            assertThat(gateway.ledger().sumOfEntries(customer)).isEqualTo(balance);
            assertThat(gateway.api().balance(merchant, customer)).isEqualTo(balance);
        });
    }

    /** Retries the API answered from Postgres's idempotency_keys, from its Prometheus metrics. */
    private static double ledgerKeyHits(ApiClient api) {
        return api.metrics().lines()
                .filter(line -> line.startsWith("kassa_api_idempotency_ledger_hits_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static long commandsWithKey(TestGateway gateway, Merchant merchant, String key) {
        return Collections.frequency(CommandLog.keysStartingWith(gateway.kafkaBootstrap(), merchant.id() + ":"),
                merchant.id() + ":" + key);
    }

    /** Redis and the dedupe store remembering a key for {@link #SHORT}, Postgres for {@code ledger}. */
    private static IdempotencySettings retention(Duration ledger) {
        return new IdempotencySettings(SHORT, IdempotencySettings.DEFAULTS.redisBuckets(), SHORT, ledger);
    }
}
