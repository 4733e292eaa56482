package dev.kassa.api.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kassa.api.ApiSettings;
import dev.kassa.api.error.ApiException;
import dev.kassa.api.error.ErrorCode;
import dev.kassa.api.error.PaymentDeclinedException;
import dev.kassa.api.http.ApiResponse;
import dev.kassa.model.DeclineCode;
import dev.kassa.model.FraudAssessment;
import dev.kassa.model.Ids;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentKind;
import dev.kassa.model.PaymentStatus;
import dev.kassa.runtime.EmbeddedRuntime;
import dev.kassa.testing.SharedRuntime;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Redis idempotency store on the real embedded Redis 6.2: the guard's claim, replay, refusal,
 * in-flight wait, lease takeover, per-field expiry and sweep, exercised through
 * {@link RedisIdempotencyGuard} itself with short TTLs. Every test uses a scope of its own, so tests never
 * share a key. (That a payment's answers are rebuilt from the ledger once their held body is gone needs the
 * whole gateway: {@code ReplayRebuiltFromLedgerIT} in app.)
 */
@Tag("integration")
@ExtendWith(SharedRuntime.class)
class RedisIdempotencyStoreIT {

    private static final Duration LONG = Duration.ofHours(1);
    private static final Duration SHORT = Duration.ofSeconds(1);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration EXPIRY_WAIT = Duration.ofSeconds(15);
    private static final PaymentLookup NO_PAYMENTS = (merchantId, paymentId) -> Optional.empty();

    private final EmbeddedRuntime runtime;
    private final List<RedisIdempotencyGuard> guards = new ArrayList<>();
    /** Where the guards answer asynchronous retries. */
    private final ExecutorService retries = Executors.newCachedThreadPool();
    private RedisClient client;
    private StatefulRedisConnection<byte[], byte[]> connection;
    private RedisCommands<byte[], byte[]> redis;
    private String scope;

    RedisIdempotencyStoreIT(EmbeddedRuntime runtime) {
        this.runtime = runtime;
    }

    @BeforeEach
    void connect() {
        client = RedisClient.create(runtime.redisUri());
        connection = client.connect(ByteArrayCodec.INSTANCE);
        redis = connection.sync();
        scope = "mer_it_" + UUID.randomUUID();
    }

    @AfterEach
    void close() {
        guards.forEach(RedisIdempotencyGuard::close);
        retries.shutdownNow();
        connection.close();
        client.shutdown();
    }

    @Test
    void retryIsReplayedByteForByteAndExecutedOnce() {
        // Plan: execute a request, then send it twice more. The execution must run once; both retries
        // get the first response's exact status and bytes, marked replayed.
        RedisIdempotencyGuard guard = guard(LONG, LONG, Duration.ofSeconds(2), 65_536, NO_PAYMENTS);
        AtomicInteger executions = new AtomicInteger();
        ApiResponse answer = json(202, "{\"id\":\"pay_x\",\"status\":\"pending\",\"note\":\"é\"}");

        ApiResponse first = guard.execute(request("k1", "f1"), counted(executions, answer));
        ApiResponse second = guard.execute(request("k1", "f1"), counted(executions, json(500, "{}")));
        ApiResponse third = guard.execute(request("k1", "f1"), counted(executions, json(500, "{}")));

        assertThat(executions).hasValue(1);
        assertThat(first.replayed()).isFalse();
        for (ApiResponse replay : List.of(second, third)) {
            assertThat(replay.replayed()).isTrue();
            assertThat(replay.status()).isEqualTo(202);
            assertThat(replay.body()).isEqualTo(answer.body());
        }
    }

    @Test
    void asynchronousExecutionIsStoredWhenItsFutureCompletesAndReplayedToRetries() throws Exception {
        // Plan: an asynchronous execution whose answer comes later (as a payment's outcome does). The
        // guard's future must not complete before the execution's; a retry meanwhile waits for it
        // (woken on this instance), and is answered with the first response, replayed; so is a later
        // asynchronous retry. The execution runs once.
        RedisIdempotencyGuard guard = guard(LONG, LONG, Duration.ofSeconds(30), 65_536, NO_PAYMENTS);
        AtomicInteger executions = new AtomicInteger();
        CompletableFuture<ApiResponse> outcome = new CompletableFuture<>();
        ApiResponse answer = json(201, "{\"id\":\"pay_async\"}");

        CompletableFuture<ApiResponse> first = guard.executeAsync(request("k1", "f1"), () -> {
            executions.incrementAndGet();
            return outcome;
        });
        await().atMost(COMMAND_TIMEOUT).until(() -> executions.get() == 1);
        CompletableFuture<ApiResponse> retry = guard.executeAsync(request("k1", "f1"),
                () -> CompletableFuture.completedFuture(counted(executions, json(500, "{}")).get()));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> !first.isDone() && !retry.isDone());

        outcome.complete(answer);

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(answer);
        assertThat(retry.get(10, TimeUnit.SECONDS)).isEqualTo(answer.asReplay());
        assertThat(guard.executeAsync(request("k1", "f1"), () -> CompletableFuture.completedFuture(json(500, "{}")))
                .get(10, TimeUnit.SECONDS)).isEqualTo(answer.asReplay());
        assertThat(executions).hasValue(1);
    }

    @Test
    void asynchronousExecutionFailingWithAnAnswerStoresItAndOneThatCrashesReleasesItsKey() throws Exception {
        // Plan: an asynchronous execution that fails with a 402 decline (an answer: stored, the retry
        // replays it), and one that fails with an unexpected exception (no answer:
        // the key is released, and the retry executes). Both failures reach the caller unchanged.
        RedisIdempotencyGuard guard = guard(LONG, LONG, Duration.ofSeconds(2), 65_536, NO_PAYMENTS);
        AtomicInteger executions = new AtomicInteger();
        PaymentDeclinedException declined = new PaymentDeclinedException(DeclineCode.INSUFFICIENT_FUNDS,
                JsonNodeFactory.instance.objectNode().put("id", "pay_declined"));

        CompletableFuture<ApiResponse> first = guard.executeAsync(request("k1", "f1"),
                () -> CompletableFuture.failedFuture(declined));
        assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).hasCause(declined);
        IdempotencySlot slot = IdempotencySlot.of(scope, "k1", 65_536);
        await().atMost(COMMAND_TIMEOUT).until(() -> IdempotencyRecord.decode(redis.hget(slot.bucket(), slot.field()))
                .status() == 402);
        ApiResponse replayed = guard.executeAsync(request("k1", "f1"),
                () -> CompletableFuture.completedFuture(counted(executions, json(201, "{}")).get()))
                .get(10, TimeUnit.SECONDS);
        assertThat(replayed.replayed()).isTrue();
        assertThat(replayed.status()).isEqualTo(402);
        assertThat(new String(replayed.body(), StandardCharsets.UTF_8)).contains("insufficient_funds", "pay_declined");
        assertThat(executions).as("the decline is replayed, not executed again").hasValue(0);

        IllegalStateException crash = new IllegalStateException("crash in the middle of the execution");
        CompletableFuture<ApiResponse> crashed = guard.executeAsync(request("k2", "f1"),
                () -> CompletableFuture.failedFuture(crash));
        assertThatThrownBy(() -> crashed.get(10, TimeUnit.SECONDS)).hasCause(crash);
        ApiResponse retried = guard.executeAsync(request("k2", "f1"),
                () -> CompletableFuture.completedFuture(counted(executions, json(201, "{}")).get()))
                .get(10, TimeUnit.SECONDS);
        assertThat(retried.replayed()).isFalse();
        assertThat(executions).hasValue(1);
    }

    @Test
    void sameKeyWithOtherParametersIsRefusedWhileInFlightAndAfter() throws Exception {
        // Plan: hold a first request in flight; the same key with another fingerprint must be refused at
        // once (not wait), and again once the first is done; neither refusal executes anything.
        RedisIdempotencyGuard guard = guard(LONG, LONG, Duration.ofSeconds(30), 65_536, NO_PAYMENTS);
        AtomicInteger executions = new AtomicInteger();
        Held held = holdInFlight(guard, json(201, "{\"a\":1}"));

        assertThatThrownBy(() -> guard.execute(request("k1", "f2"), counted(executions, json(201, "{}"))))
                .satisfies(error -> assertThat(((ApiException) error).code()).isEqualTo("idempotency_key_reused"));
        held.finish().countDown();
        assertThat(held.first().get(10, TimeUnit.SECONDS).status()).isEqualTo(201);
        assertThatThrownBy(() -> guard.execute(request("k1", "f2"), counted(executions, json(201, "{}"))))
                .satisfies(error -> assertThat(((ApiException) error).code()).isEqualTo("idempotency_key_reused"));
        assertThat(executions).hasValue(0);
    }

    @Test
    void retryWhileInFlightWaitsThenAnswersInUseAndLaterTheFirstResponse() throws Exception {
        // Plan: hold a first request in flight past a retry's short wait: the retry gets 409
        // idempotency_key_in_use and executes nothing. Once the first is done, a retry replays it.
        RedisIdempotencyGuard guard = guard(LONG, LONG, Duration.ofMillis(300), 65_536, NO_PAYMENTS);
        AtomicInteger executions = new AtomicInteger();
        ApiResponse answer = json(201, "{\"a\":1}");
        Held held = holdInFlight(guard, answer);

        assertThatThrownBy(() -> guard.execute(request("k1", "f1"), counted(executions, json(201, "{}"))))
                .satisfies(error -> {
                    assertThat(((ApiException) error).code()).isEqualTo("idempotency_key_in_use");
                    assertThat(((ApiException) error).status()).isEqualTo(409);
                });
        held.finish().countDown();
        assertThat(held.first().get(10, TimeUnit.SECONDS)).isEqualTo(answer);

        ApiResponse replay = guard.execute(request("k1", "f1"), counted(executions, json(201, "{}")));
        assertThat(replay).isEqualTo(answer.asReplay());
        assertThat(executions).hasValue(0);
    }

    @Test
    void retryOfARequestInFlightOnTheSameInstanceIsWokenByItsEndWithoutPollingRedis() throws Exception {
        // Plan: hold a first request in flight; a retry on the same guard finds its claim once, then
        // must not ask Redis again while the first is held (a polling retry would, every 25 ms). Let
        // the first finish: the retry is answered with its response, after one more look at Redis.
        RedisIdempotencyGuard guard = guard(LONG, LONG, Duration.ofSeconds(30), 65_536, NO_PAYMENTS);
        ApiResponse answer = json(201, "{\"a\":1}");
        Held held = holdInFlight(guard, answer);
        long before = scriptCalls();

        // Its own thread: the common pool may have a single one, busy with the first request.
        ExecutorService retrying = Executors.newSingleThreadExecutor();
        CompletableFuture<ApiResponse> retry = CompletableFuture.supplyAsync(() ->
                guard.execute(request("k1", "f1"), counted(new AtomicInteger(), json(500, "{}"))), retrying);
        retrying.shutdown();
        await().atMost(Duration.ofSeconds(10)).until(() -> scriptCalls() > before);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> scriptCalls() == before + 1 && !retry.isDone());
        held.finish().countDown();

        assertThat(held.first().get(10, TimeUnit.SECONDS)).isEqualTo(answer);
        assertThat(retry.get(10, TimeUnit.SECONDS)).isEqualTo(answer.asReplay());
        // The retry's claim, the first's finish, and the retry's second claim that found the response.
        assertThat(scriptCalls()).isEqualTo(before + 3);
    }

    /**
     * How many scripts Redis has run since it started: each guard operation is one, sent as EVALSHA,
     * or as EVAL after an EVALSHA that Redis refused because it did not have the script yet.
     */
    private long scriptCalls() {
        String stats = redis.info("commandstats");
        return stat(stats, "evalsha", "calls") - stat(stats, "evalsha", "failed_calls") + stat(stats, "eval", "calls");
    }

    private static long stat(String commandStats, String command, String field) {
        return commandStats.lines().filter(line -> line.startsWith("cmdstat_" + command + ":")).findFirst()
                .flatMap(line -> Arrays.stream(line.substring(line.indexOf(':') + 1).split(","))
                        .filter(pair -> pair.startsWith(field + "=")).findFirst())
                .map(pair -> Long.parseLong(pair.substring(field.length() + 1))).orElse(0L);
    }

    @Test
    void stalledClaimIsTakenOverAfterItsLeaseAndItsLateFinishStoresNothing() throws Exception {
        // Plan: a first request stalls (as if its instance hung) holding a 1 s lease. Retries answer 409
        // until the lease passes; then one retry claims the key and executes. When the stalled request
        // finally finishes, its finish must not overwrite the new owner's record: later retries replay
        // the second response.
        RedisIdempotencyGuard guard = guard(LONG, SHORT, Duration.ofMillis(100), 65_536, NO_PAYMENTS);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        CompletableFuture<ApiResponse> stalled = CompletableFuture.supplyAsync(() ->
                guard.execute(request("k1", "f1"), blocking(started, finish, json(201, "{\"who\":\"stalled\"}"))));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        AtomicInteger takeovers = new AtomicInteger();
        ApiResponse second = json(201, "{\"who\":\"takeover\"}");

        await().atMost(EXPIRY_WAIT).ignoreException(ApiException.class).until(() ->
                !guard.execute(request("k1", "f1"), counted(takeovers, second)).replayed());
        finish.countDown();
        stalled.get(10, TimeUnit.SECONDS);

        assertThat(takeovers).hasValue(1);
        ApiResponse replay = guard.execute(request("k1", "f1"), counted(takeovers, json(500, "{}")));
        assertThat(replay).isEqualTo(second.asReplay());
        assertThat(takeovers).hasValue(1);
    }

    @Test
    void expiredResponseLetsTheSameKeyExecuteAgain() {
        // Plan: with a 1 s TTL, a retry first replays; once the stored response has expired (by Redis'
        // clock, however late the sweep runs), the same key executes anew as a first request.
        RedisIdempotencyGuard guard = guard(SHORT, SHORT, Duration.ofSeconds(2), 65_536, NO_PAYMENTS);
        AtomicInteger executions = new AtomicInteger();
        guard.execute(request("k1", "f1"), counted(executions, json(201, "{\"n\":1}")));

        await().atMost(EXPIRY_WAIT).until(() ->
                !guard.execute(request("k1", "f1"), counted(executions, json(201, "{\"n\":2}"))).replayed());

        assertThat(executions).hasValue(2);
        // A request with other parameters is refused (reused) while that record lives, and may use
        // the key once it has expired.
        await().atMost(EXPIRY_WAIT).ignoreException(ApiException.class).until(() ->
                !guard.execute(request("k1", "f2"), counted(executions, json(201, "{\"n\":3}"))).replayed());
    }

    @Test
    void requestRejectedBeforeExecutionStoresNothing() {
        // Plan: an execution that ends in a 400 (and one in a 503) leaves no field behind, so the same
        // key with any parameters executes next as a first request.
        RedisIdempotencyGuard guard = guard(LONG, LONG, Duration.ofSeconds(2), 65_536, NO_PAYMENTS);
        IdempotencySlot slot = IdempotencySlot.of(scope, "k1", 65_536);

        assertThatThrownBy(() -> guard.execute(request("k1", "f1"), () -> {
            throw new ApiException(ErrorCode.AMOUNT_INVALID, "amount must be positive", "amount");
        })).isInstanceOf(ApiException.class);
        // The release is sent after the answer, without waiting: the claim is gone a moment later.
        await().atMost(COMMAND_TIMEOUT).untilAsserted(() -> assertThat(redis.hget(slot.bucket(), slot.field())).isNull());
        assertThatThrownBy(() -> guard.execute(request("k1", "f2"), () -> {
            throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "Kafka is down");
        })).isInstanceOf(ApiException.class);
        // The release is sent after the answer, without waiting: the claim is gone a moment later.
        await().atMost(COMMAND_TIMEOUT).untilAsserted(() -> assertThat(redis.hget(slot.bucket(), slot.field())).isNull());

        ApiResponse executed = guard.execute(request("k1", "f3"), () -> json(201, "{}"));
        assertThat(executed.replayed()).isFalse();
    }

    @Test
    void executionThatCrashesReleasesItsKey() {
        // Plan: an execution throwing an unexpected exception must release its claim at once (not
        // hold it for the lease), so the client's retry executes instead of waiting for a 409.
        RedisIdempotencyGuard guard = guard(LONG, LONG, Duration.ofMillis(100), 65_536, NO_PAYMENTS);
        assertThatThrownBy(() -> guard.execute(request("k1", "f1"), () -> {
            throw new IllegalStateException("crash in the middle of the execution");
        })).isInstanceOf(IllegalStateException.class);

        ApiResponse retry = guard.execute(request("k1", "f1"), () -> json(201, "{}"));

        assertThat(retry.replayed()).isFalse();
    }

    @Test
    void sweepDeletesOnlyExpiredFieldsAndTheBucketExpires() {
        // Plan: one bucket (buckets = 1) gets six keys with a 1 s TTL and six with a 1 h TTL. Once the
        // short ones have expired, a write whose field is chosen for sweeping must delete exactly them,
        // keeping every live field; the bucket carries an expiry so it vanishes when left alone.
        RedisIdempotencyGuard shortLived = guard(SHORT, SHORT, Duration.ofSeconds(2), 1, NO_PAYMENTS);
        RedisIdempotencyGuard longLived = guard(LONG, SHORT, Duration.ofSeconds(2), 1, NO_PAYMENTS);
        Set<String> expiring = new java.util.HashSet<>();
        Set<String> live = new java.util.HashSet<>();
        for (int i = 0; i < 6; i++) {
            shortLived.execute(request("short-" + i, "f"), () -> json(201, "{}"));
            expiring.add(field("short-" + i, 1));
            longLived.execute(request("long-" + i, "f"), () -> json(201, "{}"));
            live.add(field("long-" + i, 1));
        }
        byte[] bucket = IdempotencySlot.of(scope, "any", 1).bucket();
        assertThat(fields(bucket)).containsAll(expiring).containsAll(live);
        assertThat(redis.pttl(bucket)).isPositive();
        AtomicInteger triggers = new AtomicInteger();

        await().atMost(EXPIRY_WAIT).untilAsserted(() -> {
            String trigger = sweepingKey(triggers.getAndIncrement());
            longLived.execute(request(trigger, "f"), () -> json(201, "{}"));
            live.add(field(trigger, 1));
            Set<String> present = fields(bucket);
            assertThat(present).doesNotContainAnyElementsOf(expiring);
            assertThat(present).containsAll(live);
        });
    }

    @Test
    void sameKeyInTwoScopesIsIndependent() {
        // Plan: two merchants use one key for different requests; each executes once as a first
        // request and replays its own response, never the other's, and neither is "reused".
        RedisIdempotencyGuard guard = guard(LONG, LONG, Duration.ofSeconds(2), 65_536, NO_PAYMENTS);
        IdempotentRequest a = new IdempotentRequest(scope + "-a", "shared", fingerprint("fa"));
        IdempotentRequest b = new IdempotentRequest(scope + "-b", "shared", fingerprint("fb"));

        ApiResponse firstA = guard.execute(a, () -> json(201, "{\"m\":\"a\"}"));
        ApiResponse firstB = guard.execute(b, () -> json(201, "{\"m\":\"b\"}"));

        assertThat(firstA.replayed()).isFalse();
        assertThat(firstB.replayed()).isFalse();
        assertThat(guard.execute(a, () -> json(500, "{}"))).isEqualTo(firstA.asReplay());
        assertThat(guard.execute(b, () -> json(500, "{}"))).isEqualTo(firstB.asReplay());
    }

    @Test
    void paymentResponseIsStoredAsItsIdAndRebuiltAsFirstAnsweredAfterARefund() {
        // Plan: a 201 for a completed payment is stored as a 31-byte reference, its body held apart.
        // Drop the held body and let the payment be partially refunded meanwhile: the replay must be
        // the first answer's bytes (completed, nothing refunded), rendered again from the payment.
        Payment completed = payment(PaymentStatus.COMPLETED, 0, null);
        Payment refundedSince = payment(PaymentStatus.PARTIALLY_REFUNDED, 400, null);
        RedisIdempotencyGuard guard = guard(LONG, LONG, Duration.ofSeconds(2), 65_536,
                lookup(Map.of(completed.id(), refundedSince)));
        ApiResponse first = guard.execute(request("k1", "f1"), () -> ApiResponse.paymentOutcome(completed));
        IdempotencySlot slot = IdempotencySlot.of(scope, "k1", 65_536);

        // The response is stored after the answer, without waiting: it is there a moment later.
        await().atMost(COMMAND_TIMEOUT).untilAsserted(() -> assertThat(redis.hget(slot.bucket(), slot.field())).hasSize(31));
        IdempotencyRecord stored = IdempotencyRecord.decode(redis.hget(slot.bucket(), slot.field()));
        assertThat(stored.paymentId()).isEqualTo(completed.id());
        assertThat(stored.status()).isEqualTo(201);
        assertThat(guard.execute(request("k1", "f1"), () -> json(500, "{}")).body()).isEqualTo(first.body());
        assertThat(redis.del(slot.bodyKey())).isEqualTo(1);

        ApiResponse rebuilt = guard.execute(request("k1", "f1"), () -> json(500, "{}"));

        assertThat(rebuilt.replayed()).isTrue();
        assertThat(rebuilt.status()).isEqualTo(201);
        assertThat(new String(rebuilt.body(), StandardCharsets.UTF_8)).isEqualTo(new String(first.body(), StandardCharsets.UTF_8));
    }

    @Test
    void paymentResponseThatCannotBeRebuiltAnswersInUseNotSomethingElse() {
        // Plan: the held body is gone and the ledger does not have the payment (yet): the replay must
        // be a retryable 409 after the wait, never a new execution or another answer.
        Payment completed = payment(PaymentStatus.COMPLETED, 0, null);
        RedisIdempotencyGuard guard = guard(LONG, LONG, Duration.ofMillis(300), 65_536, NO_PAYMENTS);
        AtomicInteger executions = new AtomicInteger();
        guard.execute(request("k1", "f1"), counted(executions, ApiResponse.paymentOutcome(completed)));
        IdempotencySlot slot = IdempotencySlot.of(scope, "k1", 65_536);
        await().atMost(COMMAND_TIMEOUT).until(() -> redis.exists(slot.bodyKey()) == 1);
        assertThat(redis.del(slot.bodyKey())).isEqualTo(1);

        assertThatThrownBy(() -> guard.execute(request("k1", "f1"), counted(executions, json(500, "{}"))))
                .satisfies(error -> assertThat(((ApiException) error).code()).isEqualTo("idempotency_key_in_use"));
        assertThat(executions).hasValue(1);
    }

    private RedisIdempotencyGuard guard(Duration ttl, Duration lease, Duration inFlightWait, int buckets,
            PaymentLookup payments) {
        RedisIdempotencyGuard guard = new RedisIdempotencyGuard(client, new RedisIdempotencyGuard.Settings(ttl, lease,
                inFlightWait, COMMAND_TIMEOUT, buckets, ApiSettings.IDEMPOTENCY_BODY_TTL_DEFAULT), payments,
                new SimpleMeterRegistry(), retries);
        guards.add(guard);
        return guard;
    }

    private IdempotentRequest request(String key, String parameters) {
        return new IdempotentRequest(scope, key, fingerprint(parameters));
    }

    private static String fingerprint(String parameters) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(parameters.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String field(String key, int buckets) {
        return HexFormat.of().formatHex(IdempotencySlot.of(scope, key, buckets).field());
    }

    private Set<String> fields(byte[] bucket) {
        return redis.hkeys(bucket).stream().map(HexFormat.of()::formatHex).collect(Collectors.toSet());
    }

    /** A key whose field's first byte selects its write for sweeping (one in four, see IdempotencyScripts). */
    private String sweepingKey(int attempt) {
        for (int i = 0; ; i++) {
            String key = "trigger-" + attempt + "-" + i;
            if (Byte.toUnsignedInt(IdempotencySlot.of(scope, key, 1).field()[0]) % 4 == 0) {
                return key;
            }
        }
    }

    private static ApiResponse json(int status, String body) {
        return new ApiResponse(status, body.getBytes(StandardCharsets.UTF_8));
    }

    private static Supplier<ApiResponse> counted(AtomicInteger executions, ApiResponse response) {
        return () -> {
            executions.incrementAndGet();
            return response;
        };
    }

    /** A first request executing on its guard, held until {@code finish} counts down. */
    private record Held(CompletableFuture<ApiResponse> first, CountDownLatch finish) {
    }

    /** Starts the request {@code k1}/{@code f1} on {@code guard} and returns once it executes, held in flight. */
    private Held holdInFlight(RedisIdempotencyGuard guard, ApiResponse answer) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        CompletableFuture<ApiResponse> first = CompletableFuture.supplyAsync(() ->
                guard.execute(request("k1", "f1"), blocking(started, finish, answer)));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        return new Held(first, finish);
    }

    private static Supplier<ApiResponse> blocking(CountDownLatch started, CountDownLatch finish, ApiResponse response) {
        return () -> {
            started.countDown();
            try {
                if (!finish.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never let the execution finish");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return response;
        };
    }

    private static PaymentLookup lookup(Map<String, Payment> payments) {
        return (merchantId, paymentId) -> Optional.ofNullable(payments.get(paymentId));
    }

    private Payment payment(PaymentStatus status, long refunded, DeclineCode failure) {
        return new Payment("pay_0190f3a2b4c67d8e9f0a1b2c3d4e5f60", scope, "k1", null, PaymentKind.PAYMENT, status, 2_500,
                "usd", "acct_0a1b2c3d4e5f60718293a4b5c6d7e8f9", "acct_9f8e7d6c5b4a39281706f5e4d3c2b1a0", refunded,
                null, Map.of("z", "1", "a", "2"), new FraudAssessment(12, FraudAssessment.Decision.ALLOW, List.of()),
                failure, Instant.parse("2026-11-25T10:00:00.123456Z"));
    }
}
