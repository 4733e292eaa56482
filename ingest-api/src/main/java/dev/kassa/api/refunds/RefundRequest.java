package dev.kassa.api.refunds;

import java.util.Objects;
import java.util.Optional;

/** A validated {@code POST /v1/payments/{id}/refunds} body: the amount, or empty for whatever is left. */
public record RefundRequest(Optional<Long> amount) {

    public RefundRequest {
        Objects.requireNonNull(amount, "amount");
    }
}
