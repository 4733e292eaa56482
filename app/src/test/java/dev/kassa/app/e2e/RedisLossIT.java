package dev.kassa.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kassa.app.e2e.ApiClient.Merchant;
import dev.kassa.app.it.SharedRuntime;
import dev.kassa.app.runtime.EmbeddedRuntime;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A retry after Redis lost the idempotency record (FLUSHALL): the API publishes a second command,
 * the topology's dedupe stage does not execute it and reports a replay, and the API answers with the
 * ORIGINAL payment, exactly as a first request would have been answered. The source is debited once.
 */
@Tag("integration")
@ExtendWith({SharedRuntime.class, SharedGateway.class})
class RedisLossIT {

    private static final Duration SINK_WAIT = Duration.ofSeconds(30);
    private static final long FUNDED = 10_000;

    private final ApiClient api;
    private final LedgerSql ledger;
    private final String kafkaBootstrap;
    private final EmbeddedRuntime runtime;

    RedisLossIT(TestGateway gateway, EmbeddedRuntime runtime) {
        this.api = gateway.api();
        this.ledger = gateway.ledger();
        this.kafkaBootstrap = gateway.kafkaBootstrap();
        this.runtime = runtime;
    }

    @Test
    void completedPaymentRetriedAfterRedisLossAnswersTheOriginalPayment() {
        Merchant merchant = api.createMerchant("redis loss completed");
        String customer = funded(merchant);
        String key = ApiClient.newIdempotencyKey();
        ObjectNode body = ApiClient.paymentBody(2_500, "usd", customer, null);

        ApiResponse first = api.pay(merchant, body, key).expectStatus(201);
        awaitPaymentsAndBalance(merchant, customer, FUNDED - 2_500);
        flushRedis();

        ApiResponse retry = api.pay(merchant, body, key);
        assertThat(retry.status()).as("%s", retry).isEqualTo(201);
        assertThat(retry.id()).isEqualTo(first.id());
        assertThat(retry.body()).isEqualTo(first.body());

        assertExecutedOnce(merchant, key, customer, FUNDED - 2_500);
    }

    @Test
    void declinedPaymentRetriedAfterRedisLossAnswersTheOriginalDecline() {
        Merchant merchant = api.createMerchant("redis loss declined");
        String customer = funded(merchant);
        String key = ApiClient.newIdempotencyKey();
        ObjectNode body = ApiClient.paymentBody(FUNDED + 1, "usd", customer, null);

        ApiResponse first = api.pay(merchant, body, key).expectStatus(402);
        awaitPaymentsAndBalance(merchant, customer, FUNDED);
        flushRedis();

        ApiResponse retry = api.pay(merchant, body, key);
        assertThat(retry.status()).as("%s", retry).isEqualTo(402);
        assertThat(retry.body()).isEqualTo(first.body());

        assertExecutedOnce(merchant, key, customer, FUNDED);
    }

    private void flushRedis() {
        RedisClient client = RedisClient.create(runtime.redisUri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            assertThat(connection.sync().flushall()).isEqualTo("OK");
        } finally {
            client.shutdown();
        }
    }

    private void assertExecutedOnce(Merchant merchant, String key, String customer, long balance) {
        awaitPaymentsAndBalance(merchant, customer, balance);
        assertThat(ledger.number("SELECT count(*) FROM payments WHERE merchant_id = ? AND idempotency_key = ?",
                merchant.id(), key)).isEqualTo(1);
        List<String> keys = CommandLog.keysStartingWith(kafkaBootstrap, merchant.id() + ":");
        assertThat(Collections.frequency(keys, merchant.id() + ":" + key))
                .as("the retry reached the topology and was deduplicated there").isEqualTo(2);
    }

    /** An account of the merchant funded with {@link #FUNDED}. */
    private String funded(Merchant merchant) {
        String customer = api.openAccount(merchant, "usd");
        api.deposit(merchant, customer, FUNDED).expectStatus(201);
        return customer;
    }

    /** Waits for the sink: the deposit and the payment rows, and the balance by GET and SQL. */
    private void awaitPaymentsAndBalance(Merchant merchant, String customer, long balance) {
        await().atMost(SINK_WAIT).untilAsserted(() -> {
            assertThat(ledger.paymentStatuses(List.of(merchant.id()))).hasSize(2);
            assertThat(ledger.sumOfEntries(customer)).isEqualTo(balance);
            assertThat(api.balance(merchant, customer)).isEqualTo(balance);
        });
    }
}
