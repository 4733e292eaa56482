package dev.kassa.api.idempotency;

import dev.kassa.model.Ids;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The value of one idempotency key's field in its Redis bucket (see {@link IdempotencySlot}), in a
 * compact binary form that the Lua scripts of {@link IdempotencyScripts} read too:
 *
 * <pre>
 * offset 0   1 byte   tag: 1 processing, 2 done with a payment reference, 3 done with a body
 *        1   8 bytes  the first 8 bytes of the request fingerprint
 *        9   4 bytes  unsigned epoch seconds: the lease deadline (processing) or the expiry (done)
 *       13   2 bytes  HTTP status (done only)
 *       15   16 bytes the payment id's 32 hex digits as raw bytes (tag 2), or the response body (tag 3)
 * </pre>
 *
 * A value is live while Redis' clock is before its time field; an expired value reads as absent
 * wherever it is read, so no answer depends on when the expired fields were cleaned up. A done
 * value with a payment reference holds no body: a replay rebuilds the {@code 201}/{@code 402} from
 * the payment itself.
 */
public record IdempotencyRecord(State state, byte[] fingerprint, long timeSeconds, int status, String paymentId,
        byte[] body) {

    /** Whether the first request is still executing or has its response stored. */
    public enum State { PROCESSING, DONE }

    public static final int FINGERPRINT_BYTES = 8;
    /** Where the time field starts; the scripts read it at the same place (1-based: 10). */
    public static final int TIME_OFFSET = 1 + FINGERPRINT_BYTES;
    public static final int PROCESSING_BYTES = TIME_OFFSET + 4;
    public static final int PAYMENT_ID_BYTES = 16;
    /** The largest time the 4-byte field holds: early 2106. */
    public static final long TIME_MAX_SECONDS = 0xFFFF_FFFFL;
    private static final byte PROCESSING_TAG = 1;
    private static final byte DONE_PAYMENT_TAG = 2;
    private static final byte DONE_BODY_TAG = 3;
    private static final int DONE_HEADER_BYTES = PROCESSING_BYTES + 2;
    private static final HexFormat HEX = HexFormat.of();

    public IdempotencyRecord {
        Objects.requireNonNull(state, "state");
        if (fingerprint.length != FINGERPRINT_BYTES) {
            throw new IllegalArgumentException("a fingerprint has " + FINGERPRINT_BYTES + " bytes, not " + fingerprint.length);
        }
        fingerprint = fingerprint.clone();
        if (timeSeconds < 0 || timeSeconds > TIME_MAX_SECONDS) {
            throw new IllegalArgumentException("an idempotency record's time is 0 to " + TIME_MAX_SECONDS + " s: " + timeSeconds);
        }
        body = body.clone();
        if (state == State.PROCESSING && (status != 0 || paymentId != null || body.length > 0)) {
            throw new IllegalArgumentException("a processing record has no status, payment or body");
        }
        if (state == State.DONE && (status < 100 || status > 599)) {
            throw new IllegalArgumentException("a done record needs an HTTP status: " + status);
        }
        if (paymentId != null && (!Ids.isValid(Ids.PAYMENT, paymentId) || body.length > 0)) {
            throw new IllegalArgumentException("a payment reference is a payment id, without a body: " + paymentId);
        }
    }

    /** A claim of a key by a request that is executing now, until {@code deadlineSeconds}. */
    public static IdempotencyRecord processing(byte[] fingerprint, long deadlineSeconds) {
        return new IdempotencyRecord(State.PROCESSING, fingerprint, deadlineSeconds, 0, null, new byte[0]);
    }

    /** A done response that a replay rebuilds from payment {@code paymentId}. */
    public static IdempotencyRecord donePayment(byte[] fingerprint, long expirySeconds, int status, String paymentId) {
        return new IdempotencyRecord(State.DONE, fingerprint, expirySeconds, status,
                Objects.requireNonNull(paymentId, "paymentId"), new byte[0]);
    }

    /** A done response replayed from its stored {@code body}. */
    public static IdempotencyRecord doneBody(byte[] fingerprint, long expirySeconds, int status, byte[] body) {
        return new IdempotencyRecord(State.DONE, fingerprint, expirySeconds, status, null, body);
    }

    /** The first 8 bytes of a request fingerprint given as hex (see {@link RequestFingerprints}). */
    public static byte[] shortFingerprint(String fingerprintHex) {
        byte[] full = HEX.parseHex(fingerprintHex);
        if (full.length < FINGERPRINT_BYTES) {
            throw new IllegalArgumentException("a fingerprint needs at least " + FINGERPRINT_BYTES + " bytes");
        }
        return Arrays.copyOf(full, FINGERPRINT_BYTES);
    }

    /** The 16 raw bytes of a payment id's 32 hex digits. */
    public static byte[] paymentIdBytes(String paymentId) {
        if (!Ids.isValid(Ids.PAYMENT, paymentId)) {
            throw new IllegalArgumentException("not a payment id: " + paymentId);
        }
        return HEX.parseHex(paymentId, Ids.PAYMENT.length(), paymentId.length());
    }

    public boolean sameRequest(byte[] otherFingerprint) {
        return MessageDigest.isEqual(fingerprint, otherFingerprint);
    }

    /** This record with another time field: the scripts set a done record's expiry from Redis' clock. */
    public IdempotencyRecord withTime(long seconds) {
        return new IdempotencyRecord(state, fingerprint, seconds, status, paymentId, body);
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
        if (state == State.PROCESSING) {
            return header(PROCESSING_TAG, PROCESSING_BYTES).array();
        }
        if (paymentId != null) {
            return header(DONE_PAYMENT_TAG, DONE_HEADER_BYTES + PAYMENT_ID_BYTES).putShort((short) status)
                    .put(paymentIdBytes(paymentId)).array();
        }
        return header(DONE_BODY_TAG, DONE_HEADER_BYTES + body.length).putShort((short) status).put(body).array();
    }

    private ByteBuffer header(byte tag, int size) {
        return ByteBuffer.allocate(size).put(tag).put(fingerprint).putInt((int) timeSeconds);
    }

    public static IdempotencyRecord decode(byte[] bytes) {
        if (bytes.length < PROCESSING_BYTES) {
            throw new IllegalArgumentException("an idempotency record has at least " + PROCESSING_BYTES + " bytes, not "
                    + bytes.length);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        byte tag = buffer.get();
        byte[] fingerprint = new byte[FINGERPRINT_BYTES];
        buffer.get(fingerprint);
        long time = buffer.getInt() & 0xFFFF_FFFFL;
        if (tag == PROCESSING_TAG) {
            if (buffer.hasRemaining()) {
                throw new IllegalArgumentException("a processing idempotency record has " + PROCESSING_BYTES
                        + " bytes, not " + bytes.length);
            }
            return processing(fingerprint, time);
        }
        if (tag != DONE_PAYMENT_TAG && tag != DONE_BODY_TAG) {
            throw new IllegalArgumentException("unknown idempotency record tag: " + tag);
        }
        if (buffer.remaining() < 2) {
            throw new IllegalArgumentException("a done idempotency record lacks its status");
        }
        int status = buffer.getShort() & 0xFFFF;
        byte[] rest = new byte[buffer.remaining()];
        buffer.get(rest);
        if (tag == DONE_BODY_TAG) {
            return doneBody(fingerprint, time, status, rest);
        }
        if (rest.length != PAYMENT_ID_BYTES) {
            throw new IllegalArgumentException("a payment reference has " + PAYMENT_ID_BYTES + " bytes, not " + rest.length);
        }
        return donePayment(fingerprint, time, status, Ids.PAYMENT + HEX.formatHex(rest));
    }

    /**
     * Whether a response is kept for replay. A request rejected before it executed — validation,
     * authentication, rate limit, unavailability — stores nothing, so the client may retry it (docs/api.md).
     */
    public static boolean storable(int status) {
        return status != 400 && status != 401 && status != 429 && status != 503 && status < 500;
    }

    /** What a request finding this (live) record must do. */
    public enum Decision { REUSED, REPLAY, WAIT }

    public Decision decide(byte[] requestFingerprint) {
        if (!sameRequest(requestFingerprint)) {
            return Decision.REUSED;
        }
        return state == State.DONE ? Decision.REPLAY : Decision.WAIT;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IdempotencyRecord that && state == that.state && timeSeconds == that.timeSeconds
                && status == that.status && Objects.equals(paymentId, that.paymentId)
                && Arrays.equals(fingerprint, that.fingerprint) && Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(state, timeSeconds, status, paymentId, Arrays.hashCode(fingerprint), Arrays.hashCode(body));
    }

    @Override
    public String toString() {
        return "IdempotencyRecord[" + state + ", time=" + timeSeconds + ", status=" + status
                + (paymentId != null ? ", payment=" + paymentId : ", body=" + body.length + " bytes") + "]";
    }
}
