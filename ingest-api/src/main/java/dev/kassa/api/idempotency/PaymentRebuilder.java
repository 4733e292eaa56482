package dev.kassa.api.idempotency;

import dev.kassa.api.error.ApiException;
import dev.kassa.api.http.ApiResponse;
import dev.kassa.api.http.ErrorMapper;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentStatus;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Rebuilds a stored {@code 201} or {@code 402} payment response from the payment itself, with the same
 * code that rendered the first answer ({@link ApiResponse#paymentOutcome}, and {@link ErrorMapper} for
 * the decline), and with the payment as it was when first answered: a {@code 201} was a completed
 * payment with nothing refunded (later refunds must not change the replay), a {@code 402} a failed one.
 * A payment the ledger does not have yet, or has only pending, gives nothing: the caller waits or
 * refuses, but never answers anything else. A {@code 202} is not rebuilt but resolved: a retry gets
 * the payment's outcome once there is one ({@link #resolve}).
 */
final class PaymentRebuilder {

    private final PaymentLookup payments;

    PaymentRebuilder(PaymentLookup payments) {
        this.payments = Objects.requireNonNull(payments, "payments");
    }

    /** The response as first answered, or empty when it cannot be rebuilt now (retry later). */
    Optional<ApiResponse> rebuild(String merchantId, String paymentId, int status) {
        return read(() -> payments.find(merchantId, paymentId))
                .flatMap(payment -> asAnswered(payment, status)).map(payment -> render(payment, status));
    }

    /**
     * The answer to a retry of a request first answered {@code 202}: the payment's outcome as a first
     * answer would give it ({@code 201} completed, {@code 402} declined), waiting for it as long as a
     * first request would; else empty (still pending, or not in the ledger yet).
     */
    Optional<ApiResponse> resolve(String merchantId, String paymentId) {
        return read(() -> payments.settle(merchantId, paymentId)).flatMap(payment -> switch (payment.status()) {
            case PENDING -> Optional.empty();
            case FAILED -> Optional.of(render(payment, 402));
            case COMPLETED, PARTIALLY_REFUNDED, REFUNDED -> asAnswered(payment, 201).map(first -> render(first, 201));
        });
    }

    /** What {@code lookup} reads; empty while the database is unavailable (the caller retries or refuses). */
    private static Optional<Payment> read(Supplier<Optional<Payment>> lookup) {
        try {
            return lookup.get();
        } catch (ApiException e) {
            if (e.status() == 503) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * The payment as the first response showed it, if the stored one can have been that payment; for
     * a {@code 202}, the payment while it is still pending.
     */
    static Optional<Payment> asAnswered(Payment stored, int status) {
        if (status == 202) {
            return stored.status() == PaymentStatus.PENDING ? Optional.of(stored) : Optional.empty();
        }
        if (status == 402) {
            return stored.status() == PaymentStatus.FAILED ? Optional.of(stored) : Optional.empty();
        }
        if (status != 201 || stored.status() == PaymentStatus.PENDING || stored.status() == PaymentStatus.FAILED) {
            return Optional.empty();
        }
        return Optional.of(new Payment(stored.id(), stored.merchantId(), stored.idempotencyKey(),
                stored.requestFingerprint(), stored.kind(), PaymentStatus.COMPLETED, stored.amount(), stored.currency(),
                stored.source(), stored.destination(), 0, stored.description(), stored.metadata(), stored.fraud(),
                null, stored.created()));
    }

    private static ApiResponse render(Payment payment, int status) {
        ApiResponse rendered;
        try {
            rendered = ApiResponse.paymentOutcome(payment);
        } catch (ApiException e) {
            rendered = ErrorMapper.render(e);
        }
        if (rendered.status() != status) {
            throw new IllegalStateException("payment " + payment.id() + " renders as " + rendered.status()
                    + ", but its stored response was " + status);
        }
        return rendered.asReplay();
    }
}
