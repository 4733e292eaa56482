package dev.kassa.api.idempotency;

import dev.kassa.api.error.ApiException;
import dev.kassa.api.error.ErrorCode;
import dev.kassa.api.http.ApiResponse;
import dev.kassa.api.http.ErrorMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The idempotency guard of API.md on Redis. The first request claims its key with
 * {@code SET NX} as {@code processing}, executes, and stores {@code done} with its status and body;
 * a retry replays that, byte for byte; a retry with other parameters is refused at once; a retry
 * while the first is in flight polls until it is done or the wait is over ({@code 409}).
 *
 * <p>Redis is a replay cache, not the guarantee: when it cannot be reached within the command
 * timeout, the request executes without it (logged and counted), and the topology's dedupe store
 * and Postgres keep a retried command from paying twice. The connection is opened lazily and
 * re-opened after a failure, so the guard uses Redis again as soon as it is back.
 */
public final class RedisIdempotencyGuard implements IdempotencyGuard, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisIdempotencyGuard.class);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(25);

    private final RedisClient client;
    private final Duration ttl;
    private final Duration processingLease;
    private final Duration inFlightWait;
    private final Duration commandTimeout;
    private final Counter redisUnavailable;
    private final Counter replays;
    private StatefulRedisConnection<byte[], byte[]> connection;

    /**
     * @param ttl             how long a done response is kept
     * @param processingLease how long a {@code processing} claim lives, so a crashed instance does not
     *                        block its key for the whole TTL
     * @param inFlightWait    how long a retry waits for the first request's response
     * @param commandTimeout  longest wait for one Redis command before treating Redis as unavailable
     */
    public RedisIdempotencyGuard(RedisClient client, Duration ttl, Duration processingLease, Duration inFlightWait,
            Duration commandTimeout, MeterRegistry metrics) {
        this.client = Objects.requireNonNull(client, "client");
        this.ttl = requirePositive(ttl, "ttl");
        this.processingLease = requirePositive(processingLease, "processingLease");
        this.inFlightWait = Objects.requireNonNull(inFlightWait, "inFlightWait");
        this.commandTimeout = requirePositive(commandTimeout, "commandTimeout");
        this.redisUnavailable = Counter.builder("kassa_idempotency_redis_unavailable")
                .description("requests executed without the Redis replay cache because Redis did not answer")
                .register(metrics);
        this.replays = Counter.builder("kassa_idempotency_replays")
                .description("responses replayed from the idempotency store").register(metrics);
    }

    @Override
    public ApiResponse execute(IdempotentRequest request, Supplier<ApiResponse> execution) {
        byte[] key = IdempotencyRecord.redisKey(request.scope(), request.key());
        byte[] fingerprint = IdempotencyRecord.shortFingerprint(request.fingerprint());
        boolean claimed;
        try {
            claimed = claim(key, fingerprint);
        } catch (RedisUnavailable e) {
            return withoutRedis(request, e, execution);
        }
        if (claimed) {
            return executeClaimed(key, fingerprint, execution);
        }
        ApiResponse stored = answerRetry(request, key, fingerprint);
        // null: the first request released the key and this retry claimed it, so it executes now.
        return stored != null ? stored : executeClaimed(key, fingerprint, execution);
    }

    private ApiResponse executeClaimed(byte[] key, byte[] fingerprint, Supplier<ApiResponse> execution) {
        ApiResponse response;
        try {
            response = execution.get();
        } catch (ApiException e) {
            finish(key, fingerprint, ErrorMapper.render(e));
            throw e;
        } catch (RuntimeException | Error e) {
            release(key);
            throw e;
        }
        finish(key, fingerprint, response);
        return response;
    }

    private void finish(byte[] key, byte[] fingerprint, ApiResponse response) {
        try {
            if (IdempotencyRecord.storable(response.status())) {
                command(connection().async().set(key,
                        IdempotencyRecord.done(fingerprint, response.status(), response.body()).encode(),
                        SetArgs.Builder.px(ttl.toMillis())));
            } else {
                command(connection().async().del(key));
            }
        } catch (RedisUnavailable e) {
            // The response is still right; only its replay is lost, and the processing lease expires.
            redisUnavailable.increment();
            LOG.warn("cannot store the idempotent response in Redis: {}", e.getMessage());
        }
    }

    private void release(byte[] key) {
        try {
            command(connection().async().del(key));
        } catch (RedisUnavailable e) {
            LOG.warn("cannot release an idempotency key in Redis: {}", e.getMessage());
        }
    }

    /** The stored response to replay, or null when this retry claimed the key itself (it was released). */
    private ApiResponse answerRetry(IdempotentRequest request, byte[] key, byte[] fingerprint) {
        long deadline = System.nanoTime() + inFlightWait.toNanos();
        try {
            while (true) {
                byte[] stored = command(connection().async().get(key));
                if (stored == null) {
                    // The first request released its key (not storable) or its lease expired: claim it anew.
                    if (claim(key, fingerprint)) {
                        return null;
                    }
                    continue;
                }
                IdempotencyRecord found = IdempotencyRecord.decode(stored);
                switch (found.decide(fingerprint)) {
                    case REUSED -> throw new ApiException(ErrorCode.IDEMPOTENCY_KEY_REUSED,
                            "this Idempotency-Key was already used with other parameters", "Idempotency-Key");
                    case REPLAY -> {
                        replays.increment();
                        return new ApiResponse(found.status(), found.body(), true);
                    }
                    case WAIT -> {
                        if (System.nanoTime() >= deadline) {
                            throw new ApiException(ErrorCode.IDEMPOTENCY_KEY_IN_USE,
                                    "a request with this Idempotency-Key is still in progress; retry later", "Idempotency-Key");
                        }
                        sleep(POLL_INTERVAL);
                    }
                }
            }
        } catch (RedisUnavailable e) {
            redisUnavailable.increment();
            LOG.warn("Redis failed while answering a retry of key scope {}; answering 409: {}", request.scope(), e.getMessage());
            throw new ApiException(ErrorCode.IDEMPOTENCY_KEY_IN_USE,
                    "a request with this Idempotency-Key may still be in progress; retry later", "Idempotency-Key");
        }
    }

    private boolean claim(byte[] key, byte[] fingerprint) {
        String answer = command(connection().async().set(key, IdempotencyRecord.processing(fingerprint).encode(),
                SetArgs.Builder.nx().px(processingLease.toMillis())));
        return "OK".equals(answer);
    }

    private ApiResponse withoutRedis(IdempotentRequest request, RedisUnavailable e, Supplier<ApiResponse> execution) {
        redisUnavailable.increment();
        LOG.warn("Redis is unavailable; executing a request of scope {} without the replay cache: {}",
                request.scope(), e.getMessage());
        return execution.get();
    }

    private <T> T command(io.lettuce.core.RedisFuture<T> future) {
        try {
            return future.get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new RedisUnavailable("no answer within " + commandTimeout, e);
        } catch (ExecutionException e) {
            throw new RedisUnavailable(String.valueOf(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisUnavailable("interrupted", e);
        }
    }

    private synchronized StatefulRedisConnection<byte[], byte[]> connection() {
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
