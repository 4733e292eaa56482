package dev.kassa.app.e2e;

import dev.kassa.api.idempotency.IdempotencyRecord;
import dev.kassa.app.runtime.EmbeddedRedisServer;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A measuring tool, not a test: it asserts nothing. It starts its own embedded Redis, stores
 * 1,000,000 done idempotency records the way {@code RedisIdempotencyGuard} does (17-byte key, 24 h
 * TTL) and prints the {@code used_memory} growth per key, once with a typical 201 payment body and
 * once with only status + payment id (the body rebuilt from Postgres on replay). Run it with
 * {@code mvn -B test -pl app -Dtest=IdempotencyMemoryMeasurement -Dsurefire.failIfNoSpecifiedTests=false};
 * its name matches none of the test patterns, so the build never runs it on its own.
 */
class IdempotencyMemoryMeasurement {

    private static final int KEYS = 1_000_000;
    private static final int BATCH = 10_000;
    private static final String PAYMENT_BODY = "{\"id\":\"pay_3f9a0c1e5b7d4a2c8e6f1a3b5c7d9e0f\",\"object\":\"payment\","
            + "\"status\":\"completed\",\"amount\":2500,\"currency\":\"usd\","
            + "\"source\":\"acct_0a1b2c3d4e5f60718293a4b5c6d7e8f9\",\"destination\":\"acct_9f8e7d6c5b4a39281706f5e4d3c2b1a0\","
            + "\"amount_refunded\":0,\"description\":null,\"metadata\":{},"
            + "\"fraud\":{\"decision\":\"allow\",\"score\":12,\"reasons\":[]},\"failure_code\":null,"
            + "\"created\":\"2026-11-25T10:00:00Z\"}";

    @Test
    void bytesPerKey() throws Exception {
        Path directory = Files.createTempDirectory("kassa-redis-measure");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        EmbeddedRedisServer redis = new EmbeddedRedisServer(directory, port);
        redis.start();
        RedisClient client = RedisClient.create(redis.uri());
        try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
            byte[] body = PAYMENT_BODY.getBytes(StandardCharsets.UTF_8);
            byte[] paymentIdOnly = Arrays.copyOfRange(body, 7, 7 + 36); // "pay_" + 32 hex digits
            System.out.printf("body %d bytes: %.1f B/key%n", body.length, measure(connection, body, 0));
            System.out.printf("status + payment id (%d bytes): %.1f B/key%n", paymentIdOnly.length,
                    measure(connection, paymentIdOnly, 1));
            byte[] rawPaymentId = java.util.HexFormat.of().parseHex(PAYMENT_BODY.substring(11, 43));
            System.out.printf("status + payment id as 16 raw bytes: %.1f B/key%n", measure(connection, rawPaymentId, 2));
        } finally {
            client.shutdown();
            redis.stop();
        }
    }

    /** Stores {@link #KEYS} done records with {@code body} and returns the used_memory growth per key. */
    private static double measure(StatefulRedisConnection<byte[], byte[]> connection, byte[] body, int round)
            throws Exception {
        RedisAsyncCommands<byte[], byte[]> commands = connection.async();
        commands.flushall().get();
        long before = usedMemory(connection);
        byte[] fingerprint = new byte[IdempotencyRecord.FINGERPRINT_BYTES];
        byte[] value = IdempotencyRecord.done(fingerprint, 201, body).encode();
        SetArgs ttl = SetArgs.Builder.px(Duration.ofHours(24).toMillis());
        List<RedisFuture<?>> pending = new ArrayList<>(BATCH);
        for (int i = 0; i < KEYS; i++) {
            pending.add(commands.set(IdempotencyRecord.redisKey("mer_" + round, "key-" + i), value, ttl));
            if (pending.size() == BATCH) {
                LettuceFutures.awaitAll(Duration.ofMinutes(1), pending.toArray(new RedisFuture<?>[0]));
                pending.clear();
            }
        }
        LettuceFutures.awaitAll(Duration.ofMinutes(1), pending.toArray(new RedisFuture<?>[0]));
        long after = usedMemory(connection);
        System.out.printf("value %d bytes, key 17 bytes, used_memory %d -> %d%n", value.length, before, after);
        return (after - before) / (double) KEYS;
    }

    private static long usedMemory(StatefulRedisConnection<byte[], byte[]> connection) throws Exception {
        String info = connection.async().info("memory").get();
        return info.lines().filter(line -> line.startsWith("used_memory:"))
                .mapToLong(line -> Long.parseLong(line.substring("used_memory:".length()).trim()))
                .findFirst().orElseThrow(() -> new IllegalStateException("no used_memory in INFO memory"));
    }

}
