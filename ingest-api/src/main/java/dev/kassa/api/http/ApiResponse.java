package dev.kassa.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.kassa.api.error.PaymentDeclinedException;
import dev.kassa.api.payments.PaymentJson;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentStatus;
import java.util.Arrays;
import java.util.Objects;

/**
 * A finished answer: status code and JSON body bytes. It is what the idempotency guard will store and
 * replay byte for byte, so it is built before anything is written to the wire.
 *
 * <p>{@code paymentId} is set only on a payment outcome that {@link #paymentOutcome} can render again
 * from the stored payment: byte for byte a {@code 201} completed and not refunded and a {@code 402}
 * declined, and a {@code 202}, which a retry answers with the payment's outcome once there is one
 * (docs/api.md, Idempotency keys). The idempotency guard then keeps the payment's id, and the body
 * only for a while. Null otherwise.
 */
public record ApiResponse(int status, byte[] body, boolean replayed, String paymentId, byte[] replayBody) {

    private static final ObjectMapper WRITER = JsonMapper.builder().build();

    public ApiResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        body = body.clone();
        replayBody = replayBody == null ? null : replayBody.clone();
    }

    /** An answer whose replay is the same body. */
    public ApiResponse(int status, byte[] body, boolean replayed, String paymentId) {
        this(status, body, replayed, paymentId, null);
    }

    /** An answer without a payment reference. */
    public ApiResponse(int status, byte[] body, boolean replayed) {
        this(status, body, replayed, null);
    }

    /** A first answer, not a replay. */
    public ApiResponse(int status, byte[] body) {
        this(status, body, false);
    }

    /** The same status and body, marked as replayed from the idempotency store. */
    public ApiResponse asReplay() {
        return new ApiResponse(status, body, true, paymentId, replayBody);
    }

    /** The same answer, rebuildable from payment {@code paymentId}. */
    public ApiResponse withPaymentId(String paymentId) {
        return new ApiResponse(status, body, replayed, Objects.requireNonNull(paymentId, "paymentId"), replayBody);
    }

    /**
     * The same answer, whose retries get {@code json} instead of the body: an answer showing a secret
     * once (a merchant's secret key) stores and replays the same without it, so that no secret is ever
     * written to the idempotency store (docs/api.md, Idempotency keys).
     */
    public ApiResponse withReplay(JsonNode json) {
        return new ApiResponse(status, body, replayed, paymentId, write(json));
    }

    /** The body that the idempotency store keeps and a retry gets: the body itself unless {@link #withReplay}. */
    @Override
    public byte[] replayBody() {
        return (replayBody != null ? replayBody : body).clone();
    }

    /**
     * A payment's outcome as the API answers it: {@code 201} completed, {@code 202} still pending,
     * {@code 402} declined (thrown as {@link PaymentDeclinedException}, so the decline has the error
     * shape). The one rendering of an outcome: the payment routes answer with it, and the idempotency
     * guard rebuilds a replay with it. A {@code 201} of a completed, unrefunded payment and every
     * {@code 402} carry the payment's id, as both are exactly what the payment, restored to that state,
     * renders to again; a refunded payment's {@code 201} (a retry answered after a refund) does not. A
     * {@code 202} carries it too, so that a retry can be answered with the payment's outcome instead.
     */
    public static ApiResponse paymentOutcome(Payment payment) {
        return switch (payment.status()) {
            case PENDING -> json(202, PaymentJson.render(payment)).withPaymentId(payment.id());
            case FAILED -> throw new PaymentDeclinedException(payment.failureCode(), PaymentJson.render(payment),
                    payment.id());
            case COMPLETED, PARTIALLY_REFUNDED, REFUNDED -> {
                ApiResponse created = json(201, PaymentJson.render(payment));
                yield payment.status() == PaymentStatus.COMPLETED && payment.amountRefunded() == 0
                        ? created.withPaymentId(payment.id()) : created;
            }
        };
    }

    /** A response with {@code json} as its body. */
    public static ApiResponse json(int status, JsonNode json) {
        return new ApiResponse(status, write(json));
    }

    private static byte[] write(JsonNode json) {
        try {
            return WRITER.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree", e);
        }
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ApiResponse that && status == that.status && replayed == that.replayed
                && Arrays.equals(body, that.body) && Objects.equals(paymentId, that.paymentId)
                && Arrays.equals(replayBody, that.replayBody);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * (31 * status + Boolean.hashCode(replayed)) + Arrays.hashCode(body))
                + Objects.hashCode(paymentId)) + Arrays.hashCode(replayBody);
    }

    @Override
    public String toString() {
        // Not the body: it may hold a secret key shown once.
        return "ApiResponse[status=" + status + ", body=" + body.length + " bytes" + (replayed ? ", replayed" : "")
                + (paymentId != null ? ", payment " + paymentId : "") + "]";
    }
}
