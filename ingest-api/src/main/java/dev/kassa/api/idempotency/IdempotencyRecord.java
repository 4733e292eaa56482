package dev.kassa.api.idempotency;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What Redis holds for one idempotency key, in a compact binary form: one state byte, the first 16
 * bytes of the request fingerprint and, once done, the status (2 bytes) and the response body.
 * The Redis key is a fixed 17 bytes too: a namespace byte and the first 16 bytes of
 * SHA-256(scope + "\0" + key), so a 255-character key costs no more than a short one.
 */
public record IdempotencyRecord(State state, byte[] fingerprint, int status, byte[] body) {

    /** Whether the first request is still executing or has its response stored. */
    public enum State { PROCESSING, DONE }

    public static final int FINGERPRINT_BYTES = 16;
    private static final byte NAMESPACE = 'i';
    private static final byte PROCESSING_TAG = 1;
    private static final byte DONE_TAG = 2;
    private static final int HEADER_BYTES = 1 + FINGERPRINT_BYTES;

    public IdempotencyRecord {
        Objects.requireNonNull(state, "state");
        if (fingerprint.length != FINGERPRINT_BYTES) {
            throw new IllegalArgumentException("a fingerprint has " + FINGERPRINT_BYTES + " bytes, not " + fingerprint.length);
        }
        fingerprint = fingerprint.clone();
        if (state == State.DONE && (status < 100 || status > 599)) {
            throw new IllegalArgumentException("a done record needs an HTTP status: " + status);
        }
        body = body.clone();
    }

    public static IdempotencyRecord processing(byte[] fingerprint) {
        return new IdempotencyRecord(State.PROCESSING, fingerprint, 0, new byte[0]);
    }

    public static IdempotencyRecord done(byte[] fingerprint, int status, byte[] body) {
        return new IdempotencyRecord(State.DONE, fingerprint, status, body);
    }

    /** The Redis key of {@code key} in {@code scope}. */
    public static byte[] redisKey(String scope, String key) {
        byte[] digest = sha256((scope + "\0" + key).getBytes(StandardCharsets.UTF_8));
        byte[] redisKey = new byte[1 + FINGERPRINT_BYTES];
        redisKey[0] = NAMESPACE;
        System.arraycopy(digest, 0, redisKey, 1, FINGERPRINT_BYTES);
        return redisKey;
    }

    /** The first 16 bytes of a request fingerprint given as hex (see {@link RequestFingerprints}). */
    public static byte[] shortFingerprint(String fingerprintHex) {
        byte[] full = HexFormat.of().parseHex(fingerprintHex);
        if (full.length < FINGERPRINT_BYTES) {
            throw new IllegalArgumentException("a fingerprint needs at least " + FINGERPRINT_BYTES + " bytes");
        }
        return Arrays.copyOf(full, FINGERPRINT_BYTES);
    }

    public boolean sameRequest(byte[] otherFingerprint) {
        return MessageDigest.isEqual(fingerprint, otherFingerprint);
    }

    @Override
    public byte[] fingerprint() {
        return fingerprint.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    public byte[] encode() {
        boolean done = state == State.DONE;
        ByteBuffer buffer = ByteBuffer.allocate(HEADER_BYTES + (done ? 2 + body.length : 0));
        buffer.put(done ? DONE_TAG : PROCESSING_TAG).put(fingerprint);
        if (done) {
            buffer.putShort((short) status).put(body);
        }
        return buffer.array();
    }

    public static IdempotencyRecord decode(byte[] bytes) {
        if (bytes.length < HEADER_BYTES) {
            throw new IllegalArgumentException("an idempotency record has at least " + HEADER_BYTES + " bytes, not " + bytes.length);
        }
        byte[] fingerprint = Arrays.copyOfRange(bytes, 1, HEADER_BYTES);
        return switch (bytes[0]) {
            case PROCESSING_TAG -> processing(fingerprint);
            case DONE_TAG -> {
                if (bytes.length < HEADER_BYTES + 2) {
                    throw new IllegalArgumentException("a done idempotency record lacks its status");
                }
                int status = ByteBuffer.wrap(bytes, HEADER_BYTES, 2).getShort() & 0xFFFF;
                yield done(fingerprint, status, Arrays.copyOfRange(bytes, HEADER_BYTES + 2, bytes.length));
            }
            default -> throw new IllegalArgumentException("unknown idempotency record state: " + bytes[0]);
        };
    }

    /**
     * Whether a response is kept for replay. A request rejected before it executed — validation,
     * authentication, rate limit, unavailability — stores nothing, so the client may retry it (API.md).
     */
    public static boolean storable(int status) {
        return status != 400 && status != 401 && status != 429 && status != 503 && status < 500;
    }

    /** What a request finding this record must do. */
    public enum Decision { REUSED, REPLAY, WAIT }

    public Decision decide(byte[] requestFingerprint) {
        if (!sameRequest(requestFingerprint)) {
            return Decision.REUSED;
        }
        return state == State.DONE ? Decision.REPLAY : Decision.WAIT;
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
        return other instanceof IdempotencyRecord that && state == that.state && status == that.status
                && Arrays.equals(fingerprint, that.fingerprint) && Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(state, status, Arrays.hashCode(fingerprint), Arrays.hashCode(body));
    }

    @Override
    public String toString() {
        return "IdempotencyRecord[" + state + ", status=" + status + ", body=" + body.length + " bytes]";
    }
}
