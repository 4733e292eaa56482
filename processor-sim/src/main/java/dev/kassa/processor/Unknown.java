package dev.kassa.processor;

import java.util.Objects;

/**
 * Nobody knows whether the processor acted: the request timed out, the connection was dropped before
 * the answer, or the processor answered 5xx or something unreadable. The only safe next step is to
 * retry with the same idempotency key, which returns what was made, if anything was.
 */
public record Unknown(String reason) implements ChargeOutcome, RefundOutcome {

    public Unknown {
        Objects.requireNonNull(reason, "reason");
    }
}
