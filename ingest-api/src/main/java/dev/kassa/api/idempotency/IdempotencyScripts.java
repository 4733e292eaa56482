package dev.kassa.api.idempotency;

import dev.kassa.api.Failures;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every change to an idempotency bucket, each one atomic Lua script on Redis 6.2 ({@code EVALSHA},
 * falling back to {@code EVAL}, which also caches the script, when Redis answers {@code NOSCRIPT}):
 *
 * <ul>
 *   <li>{@code claim}: the field's live value, or, when it is absent or expired (a done record past its
 *       expiry, a processing claim past its lease), a new processing claim written and returned;</li>
 *   <li>{@code finish}: replaces the field with the done record only while it is still exactly our
 *       claim, and keeps a rebuildable body under the body key for a short while;</li>
 *   <li>{@code release}: deletes the field only while it is still exactly our claim.</li>
 * </ul>
 *
 * <p>Time is Redis' own {@code TIME}, so all API instances judge leases and expiries by one clock;
 * on 6.2 a script may write after that non-deterministic command only when it replicates its effects,
 * hence {@code redis.replicate_commands()} first (the 6.2 default already, but not a promise of it).
 * Each write sets the bucket's expiry to at least TTL + lease (+1 s for the whole-second time fields),
 * so a bucket nobody writes any more disappears once every field in it has expired; and one write in
 * {@value #SWEEP_ONE_IN}, chosen by the field's first byte (a hash, so uniform; Lua's random numbers are
 * reseeded for every script and could not choose), deletes the bucket's expired fields, reading at most
 * {@value #SWEEP_FIELDS_MAX} of them.
 */
public final class IdempotencyScripts {

    /** One write in this many sweeps its bucket: few expired fields linger, for little work per write. */
    static final int SWEEP_ONE_IN = 4;
    /** Bound on the fields one sweep reads; a correctly sized bucket has far fewer. */
    static final int SWEEP_FIELDS_MAX = 1024;

    private static final String COMMON = """
            redis.replicate_commands()
            local clock = redis.call('TIME')
            local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
            local function u32(s, at)
              local a, b, c, d = string.byte(s, at, at + 3)
              return ((a * 256 + b) * 256 + c) * 256 + d
            end
            local function u32_bytes(n)
              return string.char(math.floor(n / 16777216) % 256, math.floor(n / 65536) % 256,
                math.floor(n / 256) % 256, n % 256)
            end
            -- Live while Redis' clock is before the value's time field (bytes 10-13): lease or expiry.
            local function live(value)
              return string.len(value) >= 13 and now < u32(value, 10)
            end
            local function keep(bucket, field, bucket_ttl_ms)
              if redis.call('PTTL', bucket) < bucket_ttl_ms then
                redis.call('PEXPIRE', bucket, bucket_ttl_ms)
              end
              if string.byte(field, 1) % SWEEP_ONE_IN ~= 0 then
                return
              end
              local entries
              if redis.call('HLEN', bucket) <= SWEEP_FIELDS_MAX then
                entries = redis.call('HGETALL', bucket)
              else
                entries = redis.call('HSCAN', bucket, tostring(u32(field, 5)), 'COUNT', SWEEP_FIELDS_MAX)[2]
              end
              local expired = {}
              for i = 1, #entries, 2 do
                if not live(entries[i + 1]) then
                  expired[#expired + 1] = entries[i]
                end
              end
              if #expired > 0 then
                redis.call('HDEL', bucket, unpack(expired))
              end
            end
            """.replace("SWEEP_ONE_IN", Integer.toString(SWEEP_ONE_IN))
            .replace("SWEEP_FIELDS_MAX", Integer.toString(SWEEP_FIELDS_MAX));

    /** KEYS: bucket. ARGV: field, fingerprint, lease seconds, bucket TTL ms. Returns {1, claim} or {0, live value}. */
    private static final String CLAIM = COMMON + """
            local bucket, field = KEYS[1], ARGV[1]
            local current = redis.call('HGET', bucket, field)
            if current and live(current) then
              return {0, current}
            end
            local claim = string.char(1) .. ARGV[2] .. u32_bytes(math.ceil(now + tonumber(ARGV[3])))
            redis.call('HSET', bucket, field, claim)
            keep(bucket, field, tonumber(ARGV[4]))
            return {1, claim}
            """;

    /**
     * KEYS: bucket, body key. ARGV: field, our claim, done value (time field to be set), TTL seconds,
     * held body ('' for none), body TTL ms, bucket TTL ms. Returns 1 when stored, 0 when the claim was lost.
     */
    private static final String FINISH = COMMON + """
            local bucket, field = KEYS[1], ARGV[1]
            if redis.call('HGET', bucket, field) ~= ARGV[2] then
              return 0
            end
            local done = ARGV[3]
            done = string.sub(done, 1, 9) .. u32_bytes(math.ceil(now + tonumber(ARGV[4]))) .. string.sub(done, 14)
            redis.call('HSET', bucket, field, done)
            if ARGV[5] ~= '' then
              redis.call('SET', KEYS[2], ARGV[5], 'PX', ARGV[6])
            end
            keep(bucket, field, tonumber(ARGV[7]))
            return 1
            """;

    /** KEYS: bucket. ARGV: field, our claim. Returns 1 when released, 0 when the claim was already lost. */
    private static final String RELEASE = """
            if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then
              return 0
            end
            redis.call('HDEL', KEYS[1], ARGV[1])
            return 1
            """;

    /** What {@code claim} found: our new claim, or another request's live record. */
    public record Claim(boolean claimed, byte[] value) {

        public Claim {
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        public IdempotencyRecord record() {
            return IdempotencyRecord.decode(value);
        }
    }

    private final long ttlSeconds;
    private final long leaseSeconds;
    private final long bodyTtlMs;
    private final long bucketTtlMs;
    private final Map<String, String> digests = new ConcurrentHashMap<>();

    /**
     * @param ttl             how long a done response is kept; whole seconds, rounded up
     * @param processingLease how long a processing claim holds its key; whole seconds, rounded up
     * @param bodyTtl         how long a rebuildable response's body is held beside its reference
     */
    public IdempotencyScripts(Duration ttl, Duration processingLease, Duration bodyTtl) {
        this.ttlSeconds = wholeSeconds(ttl, "ttl");
        this.leaseSeconds = wholeSeconds(processingLease, "processingLease");
        this.bodyTtlMs = Math.max(1, Objects.requireNonNull(bodyTtl, "bodyTtl").toMillis());
        this.bucketTtlMs = (ttlSeconds + leaseSeconds + 1) * 1000;
    }

    public CompletableFuture<Claim> claim(RedisAsyncCommands<byte[], byte[]> redis, IdempotencySlot slot,
            byte[] fingerprint) {
        if (fingerprint.length != IdempotencyRecord.FINGERPRINT_BYTES) {
            throw new IllegalArgumentException("a fingerprint has " + IdempotencyRecord.FINGERPRINT_BYTES + " bytes");
        }
        return this.<List<Object>>run(redis, CLAIM, ScriptOutputType.MULTI, new byte[][] {slot.bucket()},
                slot.field(), fingerprint, ascii(leaseSeconds), ascii(bucketTtlMs))
                .thenApply(reply -> new Claim(((Long) reply.get(0)) == 1L, (byte[]) reply.get(1)));
    }

    /**
     * Stores {@code done} (its time field is replaced by the expiry) if {@code claim} still holds the
     * field; {@code heldBody}, when not null, goes under the body key prefixed by the payment id's bytes.
     */
    public CompletableFuture<Boolean> finish(RedisAsyncCommands<byte[], byte[]> redis, IdempotencySlot slot,
            byte[] claim, IdempotencyRecord done, byte[] heldBody) {
        if (done.state() != IdempotencyRecord.State.DONE) {
            throw new IllegalArgumentException("finish stores a done record, not " + done);
        }
        byte[] held = heldBody == null ? new byte[0] : heldBodyValue(done.paymentId(), heldBody);
        return this.<Long>run(redis, FINISH, ScriptOutputType.INTEGER, new byte[][] {slot.bucket(), slot.bodyKey()},
                slot.field(), claim, done.encode(), ascii(ttlSeconds), held, ascii(bodyTtlMs), ascii(bucketTtlMs))
                .thenApply(stored -> stored == 1L);
    }

    public CompletableFuture<Boolean> release(RedisAsyncCommands<byte[], byte[]> redis, IdempotencySlot slot,
            byte[] claim) {
        return this.<Long>run(redis, RELEASE, ScriptOutputType.INTEGER, new byte[][] {slot.bucket()}, slot.field(), claim)
                .thenApply(released -> released == 1L);
    }

    /** The body held for payment {@code paymentId}'s response, or null when it is gone or belongs to another. */
    public CompletableFuture<byte[]> heldBody(RedisAsyncCommands<byte[], byte[]> redis, IdempotencySlot slot,
            String paymentId) {
        byte[] id = IdempotencyRecord.paymentIdBytes(paymentId);
        return redis.get(slot.bodyKey()).toCompletableFuture().thenApply(held -> {
            if (held == null || held.length < id.length || !Arrays.equals(held, 0, id.length, id, 0, id.length)) {
                return null;
            }
            return Arrays.copyOfRange(held, id.length, held.length);
        });
    }

    /** The held body is prefixed with its payment's id, so a body can never be replayed for another record. */
    private static byte[] heldBodyValue(String paymentId, byte[] body) {
        if (paymentId == null) {
            throw new IllegalArgumentException("only a response rebuildable from its payment has a held body");
        }
        byte[] id = IdempotencyRecord.paymentIdBytes(paymentId);
        byte[] value = Arrays.copyOf(id, id.length + body.length);
        System.arraycopy(body, 0, value, id.length, body.length);
        return value;
    }

    private <T> CompletableFuture<T> run(RedisAsyncCommands<byte[], byte[]> redis, String script, ScriptOutputType type,
            byte[][] keys, byte[]... arguments) {
        // The scripts are constants: their SHA-1 is computed once, not on every request.
        String digest = digests.computeIfAbsent(script, text -> redis.digest(text.getBytes(StandardCharsets.UTF_8)));
        CompletableFuture<T> cached = redis.<T>evalsha(digest, type, keys, arguments).toCompletableFuture();
        return cached.exceptionallyCompose(failure -> {
            Throwable cause = Failures.cause(failure);
            if (cause instanceof RedisNoScriptException) {
                // Not in this Redis' script cache (first use, a restart, SCRIPT FLUSH): EVAL runs and caches it.
                return redis.<T>eval(script.getBytes(StandardCharsets.UTF_8), type, keys, arguments).toCompletableFuture();
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    private static byte[] ascii(long number) {
        return Long.toString(number).getBytes(StandardCharsets.US_ASCII);
    }

    private static long wholeSeconds(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
        long seconds = duration.toSeconds();
        return duration.equals(Duration.ofSeconds(seconds)) ? seconds : seconds + 1;
    }
}
