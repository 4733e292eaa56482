package dev.kassa.api.idempotency;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where Redis keeps one idempotency key, from {@code d = SHA-256(scope + "\0" + key)}:
 *
 * <ul>
 *   <li>the bucket, a Redis hash named {@code i:<N>} with {@code N = uint32(d[0..4]) mod buckets};</li>
 *   <li>the field inside it, {@code d[4..12]} (8 raw bytes);</li>
 *   <li>the body key, a plain string {@code 'b' + d[0..16]} that holds a rebuildable response's body for a
 *       short while after it was answered.</li>
 * </ul>
 *
 * Many keys share one small hash, which Redis stores as a compact ziplist (about 45 bytes an entry)
 * instead of paying a key, an object and an expiry entry each. Two keys collide only when 64 bits of
 * field and the bucket bits all agree; their fingerprints still differ, so the later one is refused as
 * {@code idempotency_key_reused} rather than replayed someone else's answer.
 */
public record IdempotencySlot(byte[] bucket, byte[] field, byte[] bodyKey) {

    public static final int FIELD_BYTES = 8;
    private static final byte BODY_NAMESPACE = 'b';
    private static final int BODY_KEY_DIGEST_BYTES = 16;

    public IdempotencySlot {
        bucket = bucket.clone();
        field = field.clone();
        bodyKey = bodyKey.clone();
    }

    /** The slot of {@code key} in {@code scope} among {@code buckets} buckets. */
    public static IdempotencySlot of(String scope, String key, int buckets) {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(key, "key");
        if (buckets < 1) {
            throw new IllegalArgumentException("buckets must be positive: " + buckets);
        }
        byte[] digest = sha256((scope + "\0" + key).getBytes(StandardCharsets.UTF_8));
        long number = Integer.toUnsignedLong(ByteBuffer.wrap(digest, 0, 4).getInt()) % buckets;
        byte[] bodyKey = new byte[1 + BODY_KEY_DIGEST_BYTES];
        bodyKey[0] = BODY_NAMESPACE;
        System.arraycopy(digest, 0, bodyKey, 1, BODY_KEY_DIGEST_BYTES);
        return new IdempotencySlot(("i:" + number).getBytes(StandardCharsets.US_ASCII),
                Arrays.copyOfRange(digest, 4, 4 + FIELD_BYTES), bodyKey);
    }

    @Override
    public byte[] bucket() {
        return bucket.clone();
    }

    @Override
    public byte[] field() {
        return field.clone();
    }

    @Override
    public byte[] bodyKey() {
        return bodyKey.clone();
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IdempotencySlot that && Arrays.equals(bucket, that.bucket)
                && Arrays.equals(field, that.field) && Arrays.equals(bodyKey, that.bodyKey);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(bucket) + Arrays.hashCode(field)) + Arrays.hashCode(bodyKey);
    }

    @Override
    public String toString() {
        return "IdempotencySlot[" + new String(bucket, StandardCharsets.US_ASCII) + "]";
    }
}
