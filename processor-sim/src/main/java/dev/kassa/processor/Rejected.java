package dev.kassa.processor;

import java.util.Objects;

/**
 * The processor refused the request for good (a 4xx other than a declined charge): retrying it, with
 * any key, gets the same answer. {@code code} is the processor's machine-readable error code, e.g.
 * {@code unknown_card_token} or {@code idempotency_key_reused}.
 */
public record Rejected(int status, String code, String message) implements ChargeOutcome, RefundOutcome {

    public Rejected {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }
}
