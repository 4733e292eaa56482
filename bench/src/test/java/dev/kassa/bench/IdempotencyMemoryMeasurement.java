package dev.kassa.bench;

import dev.kassa.api.idempotency.IdempotencyRecord;
import dev.kassa.api.idempotency.IdempotencyScripts;
import dev.kassa.api.idempotency.IdempotencySlot;
import dev.kassa.model.Ids;
import dev.kassa.runtime.EmbeddedRedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A measuring tool, not a test: it asserts nothing. It starts its own embedded Redis (6.2.11, the
 * runtime's configuration, whose {@code hash-max-ziplist-entries} is Redis's default 512 and
 * {@code hash-max-ziplist-value} 64) and writes 1,000,000 payment {@code 201} records through the
 * store's real code path — the {@code claim} and {@code finish} Lua scripts of
 * {@link IdempotencyScripts}, 24 h TTL, 17 s lease, 10 min held body — then prints the
 * {@code used_memory} growth per key:
 *
 * <ul>
 *   <li>while the bodies are still held (the first 10 minutes after each answer);</li>
 *   <li>at steady state, once the held bodies are gone (deleted here rather than waited for);</li>
 * </ul>
 *
 * for the default 65,536 buckets (~15 keys each), for 4,096 buckets (~244 keys each, still a ziplist
 * under the 512 limit), and for the same 4,096 buckets with {@code hash-max-ziplist-entries 128}: too
 * few buckets for the limit, so every bucket converts to the hashtable encoding.
 *
 * Run it with {@code mvn -B test -pl app -Dtest=IdempotencyMemoryMeasurement -Dsurefire.failIfNoSpecifiedTests=false}
 * (about 12 minutes); its name matches none of the test patterns, so the build never runs it on its own.
 */
class IdempotencyMemoryMeasurement {

    private static final int KEYS = 1_000_000;
    private static final int BATCH = 5_000;
    private static final Duration TTL = Duration.ofHours(24);
    private static final Duration LEASE = Duration.ofSeconds(17);
    private static final Duration BODY_TTL = Duration.ofMinutes(10);
    private static final String PAYMENT_BODY = "{\"id\":\"%s\",\"object\":\"payment\","
            + "\"status\":\"completed\",\"amount\":2500,\"currency\":\"usd\","
            + "\"source\":\"acct_0a1b2c3d4e5f60718293a4b5c6d7e8f9\",\"destination\":\"acct_9f8e7d6c5b4a39281706f5e4d3c2b1a0\","
            + "\"amount_refunded\":0,\"description\":null,\"metadata\":{},"
            + "\"fraud\":{\"score\":12,\"decision\":\"allow\",\"reasons\":[]},\"failure_code\":null,"
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
            RedisAsyncCommands<byte[], byte[]> commands = connection.async();
            System.out.printf("Redis %s, hash-max-ziplist-entries %s, hash-max-ziplist-value %s, %,d keys%n",
                    info(commands, "server", "redis_version"), config(commands, "hash-max-ziplist-entries"),
                    config(commands, "hash-max-ziplist-value"), KEYS);
            measure(commands, 65_536, "512", "default: 65,536 buckets (~15 keys each), hash-max-ziplist-entries 512");
            measure(commands, 4_096, "512", "4,096 buckets (~244 keys each), hash-max-ziplist-entries 512");
            measure(commands, 4_096, "128", "too few: 4,096 buckets (~244 keys each), hash-max-ziplist-entries 128");
        } finally {
            client.shutdown();
            redis.stop();
        }
    }

    /** Fills a flushed Redis through claim + finish and prints bytes/key with and without the held bodies. */
    private static void measure(RedisAsyncCommands<byte[], byte[]> commands, int buckets, String ziplistEntries,
            String label) throws Exception {
        commands.flushall().get();
        commands.configSet("hash-max-ziplist-entries", ziplistEntries).get();
        IdempotencyScripts scripts = new IdempotencyScripts(TTL, LEASE, BODY_TTL);
        long before = usedMemory(commands);
        long started = System.nanoTime();
        List<CompletableFuture<Boolean>> pending = new ArrayList<>(BATCH);
        List<byte[]> bodyKeys = new ArrayList<>(KEYS);
        Instant created = Instant.parse("2026-11-25T10:00:00Z");
        for (int i = 0; i < KEYS; i++) {
            String key = "key-" + i;
            IdempotencySlot slot = IdempotencySlot.of("mer_measure", key, buckets);
            bodyKeys.add(slot.bodyKey());
            byte[] fingerprint = IdempotencyRecord.shortFingerprint(String.format("%064x", i));
            String paymentId = Ids.next(Ids.PAYMENT, created.plusMillis(i));
            byte[] body = PAYMENT_BODY.formatted(paymentId).getBytes(StandardCharsets.UTF_8);
            IdempotencyRecord done = IdempotencyRecord.donePayment(fingerprint, 0, 201, paymentId);
            pending.add(scripts.claim(commands, slot, fingerprint).thenCompose(claim -> {
                if (!claim.claimed()) {
                    throw new IllegalStateException(key + " was not claimed: " + claim.record());
                }
                return scripts.finish(commands, slot, claim.value(), done, body);
            }));
            if (pending.size() == BATCH) {
                awaitAll(pending);
            }
        }
        awaitAll(pending);
        long held = usedMemory(commands);
        String sample = new String(IdempotencySlot.of("mer_measure", "key-0", buckets).bucket(), StandardCharsets.US_ASCII);
        String encoding = commands.objectEncoding(sample.getBytes(StandardCharsets.US_ASCII)).get();
        for (int i = 0; i < bodyKeys.size(); i += BATCH) {
            commands.del(bodyKeys.subList(i, Math.min(i + BATCH, bodyKeys.size())).toArray(new byte[0][])).get();
        }
        long steady = settledUsedMemory(commands);
        System.out.printf("%s: bucket %s is %s, %d keys in Redis, %.0f s to write%n", label, sample, encoding,
                commands.dbsize().get(), (System.nanoTime() - started) / 1e9);
        System.out.printf("  with bodies held:          used_memory %,d -> %,d: %.1f B/key%n", before, held,
                (held - before) / (double) KEYS);
        System.out.printf("  steady state (no bodies):  used_memory %,d -> %,d: %.1f B/key%n", before, steady,
                (steady - before) / (double) KEYS);
    }

    private static void awaitAll(List<CompletableFuture<Boolean>> pending) throws Exception {
        for (CompletableFuture<Boolean> future : pending) {
            if (!future.get(1, TimeUnit.MINUTES)) {
                throw new IllegalStateException("a finish lost its claim");
            }
        }
        pending.clear();
    }

    /**
     * {@code used_memory} once it has stopped changing: after a million keys are deleted, Redis shrinks
     * its key and expiry tables incrementally from its cron, and the steady state is after that. A
     * measuring tool may sleep; it samples once a second until five samples agree (at most 2 minutes).
     */
    private static long settledUsedMemory(RedisAsyncCommands<byte[], byte[]> commands) throws Exception {
        long last = usedMemory(commands);
        int unchanged = 0;
        for (int sample = 0; sample < 120 && unchanged < 5; sample++) {
            Thread.sleep(1_000);
            long now = usedMemory(commands);
            unchanged = now == last ? unchanged + 1 : 0;
            last = now;
        }
        return last;
    }

    private static long usedMemory(RedisAsyncCommands<byte[], byte[]> commands) throws Exception {
        return Long.parseLong(info(commands, "memory", "used_memory"));
    }

    private static String info(RedisAsyncCommands<byte[], byte[]> commands, String section, String field)
            throws Exception {
        return commands.info(section).get().lines().filter(line -> line.startsWith(field + ":"))
                .map(line -> line.substring(field.length() + 1).trim())
                .findFirst().orElseThrow(() -> new IllegalStateException("no " + field + " in INFO " + section));
    }

    private static String config(RedisAsyncCommands<byte[], byte[]> commands, String name) throws Exception {
        return commands.configGet(name).get().values().iterator().next();
    }
}
