package dev.kassa.api.idempotency;

import dev.kassa.api.Failures;
import dev.kassa.api.error.ApiException;
import dev.kassa.api.error.ErrorCode;
import dev.kassa.api.error.PaymentDeclinedException;
import dev.kassa.api.http.ApiResponse;
import dev.kassa.api.http.ErrorMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The idempotency guard of docs/api.md on Redis. Keys live as fields of hash buckets
 * ({@link IdempotencySlot}), each value a compact record ({@link IdempotencyRecord}) changed only by
 * atomic scripts ({@link IdempotencyScripts}). The first request claims its key as {@code processing}
 * with a lease, executes, and stores {@code done}; a retry replays that, byte for byte; a retry with
 * other parameters is refused at once; a retry while the first is in flight waits until it is done
 * or the wait is over ({@code 409}): woken by its end when the first executes on this instance, else
 * polling Redis. A payment's {@code 201} or {@code 402} is stored as the payment's
 * id only, its body held for {@link Settings#bodyTtl()} beside it; after that a replay renders it
 * again from the payment ({@link PaymentRebuilder}), or answers {@code 409} when the ledger cannot
 * give it back within the wait.
 *
 * <p>Redis is a replay cache, not the guarantee: when it cannot be reached within the command
 * timeout, the request executes without it (logged and counted), and the topology's dedupe store
 * and Postgres keep a retried command from paying twice. The connection is opened lazily and
 * re-opened after a failure, so the guard uses Redis again as soon as it is back.
 */
public final class RedisIdempotencyGuard implements IdempotencyGuard, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisIdempotencyGuard.class);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(25);
    private static final Duration REBUILD_POLL_INTERVAL = Duration.ofMillis(50);
    private static final HexFormat HEX = HexFormat.of();

    /**
     * @param ttl             how long a done response is kept
     * @param processingLease how long a {@code processing} claim lives, so a crashed instance does not
     *                        block its key for the whole TTL
     * @param inFlightWait    how long a retry waits for the first request's response, and for a
     *                        rebuildable response's payment to be readable
     * @param commandTimeout  longest wait for one Redis command before treating Redis as unavailable
     * @param buckets         how many hash buckets the keys spread over (see ApiSettings#idempotencyBuckets)
     * @param bodyTtl         how long a rebuildable response's body is held (at most {@code ttl})
     */
    public record Settings(Duration ttl, Duration processingLease, Duration inFlightWait, Duration commandTimeout,
            int buckets, Duration bodyTtl) {

        public Settings {
            requirePositive(ttl, "ttl");
            requirePositive(processingLease, "processingLease");
            Objects.requireNonNull(inFlightWait, "inFlightWait");
            requirePositive(commandTimeout, "commandTimeout");
            if (buckets < 1) {
                throw new IllegalArgumentException("buckets must be positive: " + buckets);
            }
            requirePositive(bodyTtl, "bodyTtl");
            // A body outliving its record could only be wasted memory; the prefix check makes it harmless anyway.
            bodyTtl = bodyTtl.compareTo(ttl) < 0 ? bodyTtl : ttl;
        }
    }

    private final RedisClient client;
    private final Settings settings;
    private final IdempotencyScripts scripts;
    private final PaymentRebuilder rebuilder;
    private final PendingAnswers pending;
    private final Executor blocking;
    private final Counter redisUnavailable;
    private final Counter replays;
    private final Counter rebuilt;
    private final Counter resolved;
    private final Counter wokenRetries;
    private final Counter pollingRetries;
    /**
     * The requests this instance is executing, by key: a retry that reaches this instance while its
     * first request executes here waits for that request's end instead of polling Redis. Each entry is
     * completed (and removed) once the response is stored or the claim released, successfully or not.
     */
    private final ConcurrentHashMap<String, CompletableFuture<Void>> executing = new ConcurrentHashMap<>();
    /** Read on every request without a lock (Lettuce's connection is thread-safe); replaced under one. */
    private volatile StatefulRedisConnection<byte[], byte[]> connection;

    public RedisIdempotencyGuard(RedisClient client, Settings settings, PaymentLookup payments, MeterRegistry metrics,
                                 Executor blocking) {
        this(client, settings, payments, PendingAnswers.NONE, metrics, blocking);
    }

    /**
     * @param payments where payments are read back, to rebuild their answers and resolve their 202s
     * @param pending  where other stored 202s are resolved (account openings)
     * @param blocking where {@link #executeAsync} answers a retry, which may wait for the first request
     *                 and read the ledger: never on Redis's own thread
     */
    public RedisIdempotencyGuard(RedisClient client, Settings settings, PaymentLookup payments, PendingAnswers pending,
                                 MeterRegistry metrics, Executor blocking) {
        this.blocking = Objects.requireNonNull(blocking, "blocking");
        this.client = Objects.requireNonNull(client, "client");
        this.pending = Objects.requireNonNull(pending, "pending");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.scripts = new IdempotencyScripts(settings.ttl(), settings.processingLease(), settings.bodyTtl());
        this.rebuilder = new PaymentRebuilder(payments);
        this.redisUnavailable = Counter.builder("kassa.api.idempotency.redis.unavailable")
                .description("requests executed without the Redis replay cache because Redis did not answer")
                .register(metrics);
        this.replays = Counter.builder("kassa.api.idempotency.replays")
                .description("responses replayed from the idempotency store").register(metrics);
        this.resolved = Counter.builder("kassa.api.idempotency.resolved.replays")
                .description("retries of a request first answered 202 that were answered with its outcome (a payment's, an"
                        + " account opening's)")
                .register(metrics);
        this.wokenRetries = Counter.builder("kassa.api.idempotency.in.flight.waits").tag("how", "woken")
                .description("waits of a retry for its first request in flight: woken by its end on this instance,"
                        + " or polling Redis for one executing on another")
                .register(metrics);
        this.pollingRetries = Counter.builder("kassa.api.idempotency.in.flight.waits").tag("how", "polled")
                .description("waits of a retry for its first request in flight: woken by its end on this instance,"
                        + " or polling Redis for one executing on another")
                .register(metrics);
        this.rebuilt = Counter.builder("kassa.api.idempotency.rebuilt.replays")
                .description("replayed payment responses rendered again from the ledger after their body expired")
                .register(metrics);
    }

    /**
     * {@link #executeAsync}, waited for on the calling thread: the execution may block (a refund waits
     * for its outcome), so it runs on {@link #blocking}, never on the thread that brings Redis's answer.
     */
    @Override
    public ApiResponse execute(IdempotentRequest request, Supplier<ApiResponse> execution) {
        try {
            return executeAsync(request, () -> CompletableFuture.supplyAsync(execution, blocking)).join();
        } catch (CompletionException e) {
            Throwable cause = Failures.cause(e);
            if (cause instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /**
     * The claim goes to Redis and the request's thread is free at once: the execution starts on the
     * thread that brings Redis's answer (so {@code execution} must not block; it hands its waits to
     * futures), a retry is answered on {@link #blocking}, and the response is stored when the
     * execution's future completes, whichever thread completes it.
     */
    @Override
    public CompletableFuture<ApiResponse> executeAsync(IdempotentRequest request,
            Supplier<CompletableFuture<ApiResponse>> execution) {
        IdempotencySlot slot = IdempotencySlot.of(request.scope(), request.key(), settings.buckets());
        byte[] fingerprint = IdempotencyRecord.shortFingerprint(request.fingerprint());
        CompletableFuture<IdempotencyScripts.Claim> claimed;
        try {
            claimed = scripts.claim(commands(), slot, fingerprint)
                    .orTimeout(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RedisUnavailable e) {
            return started(() -> withoutRedis(request, e, execution));
        }
        return claimed.handle((claim, failure) -> {
            if (failure != null) {
                return started(() -> withoutRedis(request, unavailable(failure), execution));
            }
            if (claim.claimed()) {
                return executeClaimed(slot, claim.value(), execution);
            }
            return CompletableFuture.supplyAsync(() -> answerRetry(request, slot, fingerprint, claim), blocking)
                    .thenCompose(retry -> retry.response() != null
                            ? CompletableFuture.completedFuture(retry.response())
                            // The first request released the key, or its claim or record expired: this retry claimed it.
                            : executeClaimed(slot, retry.claim().value(), execution));
        }).thenCompose(Function.identity());
    }

    private CompletableFuture<ApiResponse> executeClaimed(IdempotencySlot slot, byte[] claim,
            Supplier<CompletableFuture<ApiResponse>> execution) {
        Runnable end = executing(slot);
        return started(execution).whenComplete((response, failure) -> ended(slot, claim, response, failure, end));
    }

    /**
     * Marks {@code slot} as executing on this instance, so a retry arriving here waits for its end;
     * returns what ends it.
     */
    private Runnable executing(IdempotencySlot slot) {
        String key = local(slot);
        CompletableFuture<Void> ended = new CompletableFuture<>();
        executing.put(key, ended);
        return () -> {
            executing.remove(key, ended);
            ended.complete(null);
        };
    }

    /**
     * After an execution: its response stored, or its error when it is an answer ({@code 4xx}, a
     * {@code 402} decline with its payment), or the key released for the next attempt (anything else).
     */
    private void ended(IdempotencySlot slot, byte[] claim, ApiResponse response, Throwable failure, Runnable end) {
        Throwable cause = Failures.cause(failure);
        if (cause == null) {
            finish(slot, claim, response, end);
        } else if (cause instanceof PaymentDeclinedException declined) {
            ApiResponse rendered = ErrorMapper.render(declined);
            finish(slot, claim, declined.paymentId() == null ? rendered : rendered.withPaymentId(declined.paymentId()), end);
        } else if (cause instanceof ApiException refused) {
            finish(slot, claim, ErrorMapper.render(refused), end);
        } else {
            release(slot, claim, end);
        }
    }

    /** The execution's future, or a failed one when it threw before returning one. */
    private static CompletableFuture<ApiResponse> started(Supplier<CompletableFuture<ApiResponse>> execution) {
        try {
            return Objects.requireNonNull(execution.get(), "execution returned no future");
        } catch (RuntimeException | Error e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static RedisUnavailable unavailable(Throwable failure) {
        Throwable cause = Failures.cause(failure);
        return cause instanceof TimeoutException
                ? new RedisUnavailable("no answer within the command timeout", cause)
                : new RedisUnavailable(String.valueOf(cause), cause);
    }

    /** The key of {@link #executing} for {@code slot}. */
    private static String local(IdempotencySlot slot) {
        return HEX.formatHex(slot.bucket()) + "/" + HEX.formatHex(slot.field());
    }

    /**
     * Stores the response under the key without waiting for Redis: the answer does not depend on it.
     * Every request shares one connection, whose commands Redis runs in order, so a retry that reaches
     * this instance after the answer finds the response stored; a retry at another instance that
     * overtakes the write finds the claim and waits for it like any retry of a request in flight.
     */
    private void finish(IdempotencySlot slot, byte[] claim, ApiResponse response, Runnable end) {
        if (!IdempotencyRecord.storable(response.status())) {
            release(slot, claim, end);
            return;
        }
        byte[] fingerprint = IdempotencyRecord.decode(claim).fingerprint();
        IdempotencyRecord done = response.paymentId() != null
                ? IdempotencyRecord.donePayment(fingerprint, 0, response.status(), response.paymentId())
                : IdempotencyRecord.doneBody(fingerprint, 0, response.status(), response.replayBody());
        inBackground(() -> scripts.finish(commands(), slot, claim, done,
                response.paymentId() != null ? response.replayBody() : null), (stored, failure) -> {
            end.run();
            if (failure != null) {
                // The response is still right; only its replay is lost, and the processing lease expires.
                redisUnavailable.increment();
                LOG.warn("cannot store the idempotent response in Redis: {}", failure.toString());
            } else if (!stored) {
                LOG.warn("the idempotency claim in {} was lost before its response was stored (its lease passed and"
                        + " another request took the key over, or Redis lost it); the response is not replayable", slot);
            }
        });
    }

    /** Frees the key for the next request without waiting for Redis, as {@link #finish} stores. */
    private void release(IdempotencySlot slot, byte[] claim, Runnable end) {
        inBackground(() -> scripts.release(commands(), slot, claim), (released, failure) -> {
            end.run();
            if (failure != null) {
                LOG.warn("cannot release an idempotency key in Redis: {}", failure.toString());
            }
        });
    }

    /** Sends a script without waiting for its answer, which {@code then} handles (on Lettuce's thread). */
    private <T> void inBackground(Supplier<CompletableFuture<T>> script, BiConsumer<T, Throwable> then) {
        CompletableFuture<T> sent;
        try {
            sent = script.get();
        } catch (RedisUnavailable e) {
            then.accept(null, e);
            return;
        }
        sent.orTimeout(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS).whenComplete(then);
    }

    /** What a retry came to: a response to give, or the key claimed for itself. */
    private record Retry(ApiResponse response, IdempotencyScripts.Claim claim) {
    }

    private Retry answerRetry(IdempotentRequest request, IdempotencySlot slot, byte[] fingerprint,
            IdempotencyScripts.Claim found) {
        long deadline = System.nanoTime() + settings.inFlightWait().toNanos();
        try {
            IdempotencyScripts.Claim current = found;
            while (!current.claimed()) {
                IdempotencyRecord record = current.record();
                switch (record.decide(fingerprint)) {
                    case REUSED -> throw new ApiException(ErrorCode.IDEMPOTENCY_KEY_REUSED,
                            "this Idempotency-Key was already used with other parameters", "Idempotency-Key");
                    case REPLAY -> {
                        return new Retry(replay(request, slot, record), null);
                    }
                    case WAIT -> {
                        if (System.nanoTime() >= deadline) {
                            throw inUse("a request with this Idempotency-Key is still in progress; retry later");
                        }
                        awaitFirst(slot, deadline);
                    }
                }
                current = await(scripts.claim(commands(), slot, fingerprint));
            }
            return new Retry(null, current);
        } catch (RedisUnavailable e) {
            redisUnavailable.increment();
            LOG.warn("Redis failed while answering a retry of key scope {}; answering 409: {}", request.scope(), e.getMessage());
            throw inUse("a request with this Idempotency-Key may still be in progress; retry later");
        }
    }

    /**
     * Waits for the first request with this key to end: until it ends, when it executes on this
     * instance; else for one {@link #POLL_INTERVAL}, as it executes elsewhere and only Redis can tell.
     * Either way the caller then asks Redis again.
     */
    private void awaitFirst(IdempotencySlot slot, long deadline) {
        CompletableFuture<Void> ended = executing.get(local(slot));
        if (ended == null) {
            pollingRetries.increment();
            sleep(POLL_INTERVAL);
            return;
        }
        wokenRetries.increment();
        try {
            ended.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Past the deadline: the caller answers 409 on its next look.
        }
    }

    private ApiResponse replay(IdempotentRequest request, IdempotencySlot slot, IdempotencyRecord record) {
        replays.increment();
        if (record.paymentId() == null) {
            if (record.status() == 202) {
                Optional<ApiResponse> outcome = pending.resolve(request.scope(), record.body());
                if (outcome.isPresent()) {
                    resolved.increment();
                    return outcome.get();
                }
            }
            return new ApiResponse(record.status(), record.body(), true);
        }
        if (record.status() == 202) {
            // The first answer did not know the outcome; a retry answers it once it is known.
            Optional<ApiResponse> outcome = rebuilder.resolve(request.scope(), record.paymentId());
            if (outcome.isPresent()) {
                resolved.increment();
                return outcome.get();
            }
        }
        byte[] held = await(scripts.heldBody(commands(), slot, record.paymentId()));
        if (held != null) {
            return new ApiResponse(record.status(), held, true);
        }
        long deadline = System.nanoTime() + settings.inFlightWait().toNanos();
        while (true) {
            Optional<ApiResponse> response = rebuilder.rebuild(request.scope(), record.paymentId(), record.status());
            if (response.isPresent()) {
                rebuilt.increment();
                return response.get();
            }
            if (System.nanoTime() >= deadline) {
                // Postgres does not have the payment (yet): refuse, retryable, rather than answer anything else.
                throw inUse("the response to this Idempotency-Key cannot be read back yet; retry later");
            }
            sleep(REBUILD_POLL_INTERVAL);
        }
    }

    private <T> T withoutRedis(IdempotentRequest request, RedisUnavailable e, Supplier<T> execution) {
        redisUnavailable.increment();
        LOG.warn("Redis is unavailable; executing a request of scope {} without the replay cache: {}",
                request.scope(), e.getMessage());
        return execution.get();
    }

    private static ApiException inUse(String message) {
        return new ApiException(ErrorCode.IDEMPOTENCY_KEY_IN_USE, message, "Idempotency-Key");
    }

    private RedisAsyncCommands<byte[], byte[]> commands() {
        return connection().async();
    }

    private <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(settings.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new RedisUnavailable("no answer within " + settings.commandTimeout(), e);
        } catch (ExecutionException e) {
            throw new RedisUnavailable(String.valueOf(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisUnavailable("interrupted", e);
        }
    }

    private StatefulRedisConnection<byte[], byte[]> connection() {
        StatefulRedisConnection<byte[], byte[]> open = connection;
        return open != null && open.isOpen() ? open : reconnect();
    }

    /** Every request thread shares one connection, so only one of them opens a new one. */
    private synchronized StatefulRedisConnection<byte[], byte[]> reconnect() {
        if (connection == null || !connection.isOpen()) {
            try {
                connection = client.connect(ByteArrayCodec.INSTANCE);
            } catch (RuntimeException e) {
                throw new RedisUnavailable("cannot connect: " + e.getMessage(), e);
            }
        }
        return connection;
    }

    private static void sleep(Duration interval) {
        try {
            Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisUnavailable("interrupted while waiting for the first request", e);
        }
    }

    private static Duration requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
        return value;
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            connection.close();
        }
    }

    /** Redis did not answer in time or refused the connection. */
    private static final class RedisUnavailable extends RuntimeException {
        RedisUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
