package dev.kassa.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kassa.api.ApiSettings;
import dev.kassa.api.idempotency.IdempotencyRecord;
import dev.kassa.api.idempotency.IdempotencySlot;
import dev.kassa.app.e2e.ApiClient.Merchant;
import dev.kassa.runtime.EmbeddedRuntime;
import dev.kassa.testing.SharedRuntime;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * On the real gateway, that a payment's {@code 201} and {@code 402} replayed after their held body is gone
 * from Redis are rebuilt from the ledger byte for byte (docs/api.md, idempotency keys). The Redis store's
 * own behaviour, which needs no gateway, is tested in ingest-api ({@code RedisIdempotencyStoreIT}).
 */
@Tag("integration")
@ExtendWith({SharedRuntime.class, SharedGateway.class})
class ReplayRebuiltFromLedgerIT {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration SINK_WAIT = Duration.ofSeconds(30);

    private final EmbeddedRuntime runtime;
    private final TestGateway gateway;
    private RedisClient client;
    private StatefulRedisConnection<byte[], byte[]> connection;
    private RedisCommands<byte[], byte[]> redis;

    ReplayRebuiltFromLedgerIT(EmbeddedRuntime runtime, TestGateway gateway) {
        this.runtime = runtime;
        this.gateway = gateway;
    }

    @BeforeEach
    void connect() {
        client = RedisClient.create(runtime.redisUri());
        connection = client.connect(ByteArrayCodec.INSTANCE);
        redis = connection.sync();
    }

    @AfterEach
    void close() {
        connection.close();
        client.shutdown();
    }

    @Test
    void completedPaymentReplayedAfterItsBodyIsGoneIsRebuiltByteForByte() {
        // Plan: on the real gateway, pay with a description and unsorted, non-ASCII metadata; wait for the
        // ledger to have it; delete the held body from Redis; the retry must be the first 201's exact
        // bytes, replayed, rendered from Postgres (the held body stays gone).
        ApiClient api = gateway.api();
        Merchant merchant = api.createMerchant("rebuild completed");
        String customer = funded(api, merchant);
        String key = ApiClient.newIdempotencyKey();
        ObjectNode body = ApiClient.paymentBody(1_250, "usd", customer, null).put("description", "order 42 — «ü»");
        body.putObject("metadata").put("order_id", "42").put("b_key", "zwei").put("a_key", "ein");

        ApiResponse first = api.pay(merchant, body, key).expectStatus(201);

        assertRebuiltByteForByte(api, merchant, key, body, first, "completed");
    }

    @Test
    void declinedPaymentReplayedAfterItsBodyIsGoneIsRebuiltByteForByte() {
        // Plan: as above for a 402 insufficient_funds (no description, no metadata): the retry after the
        // held body is gone must be the first 402's exact bytes, the failed payment inside included.
        ApiClient api = gateway.api();
        Merchant merchant = api.createMerchant("rebuild declined");
        String customer = funded(api, merchant);
        String key = ApiClient.newIdempotencyKey();
        ObjectNode body = ApiClient.paymentBody(1_000_000, "usd", customer, null);

        ApiResponse first = api.pay(merchant, body, key).expectStatus(402);

        assertRebuiltByteForByte(api, merchant, key, body, first, "failed");
    }

    private void assertRebuiltByteForByte(ApiClient api, Merchant merchant, String key, ObjectNode body,
            ApiResponse first, String ledgerStatus) {
        String paymentId = first.status() == 402 ? first.error().path("payment").path("id").asText() : first.id();
        await().atMost(SINK_WAIT).untilAsserted(() ->
                assertThat(gateway.ledger().paymentStatuses(List.of(merchant.id()))).containsEntry(paymentId, ledgerStatus));
        IdempotencySlot slot = IdempotencySlot.of(merchant.id(), key, ApiSettings.IDEMPOTENCY_BUCKETS_DEFAULT);
        await().atMost(COMMAND_TIMEOUT).untilAsserted(() -> assertThat(redis.exists(slot.bodyKey())).isOne());
        assertThat(IdempotencyRecord.decode(redis.hget(slot.bucket(), slot.field())).paymentId()).isEqualTo(paymentId);
        assertThat(redis.del(slot.bodyKey())).as("the held body existed").isEqualTo(1);

        ApiResponse replay = api.pay(merchant, body, key);

        assertThat(replay.status()).as("%s", replay).isEqualTo(first.status());
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(replay.rawBody()).isEqualTo(first.rawBody());
        assertThat(redis.exists(slot.bodyKey())).as("rebuilt, not read from a held body").isZero();
    }

    private String funded(ApiClient api, Merchant merchant) {
        String customer = api.openAccount(merchant, "usd");
        api.deposit(merchant, customer, 10_000).expectStatus(201);
        return customer;
    }
}
