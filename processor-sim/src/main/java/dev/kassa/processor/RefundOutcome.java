package dev.kassa.processor;

import java.util.Objects;

/**
 * Every way a refund attempt can end, as {@link CardProcessor#refund} classifies it: made, refused for
 * good ({@link Rejected}, e.g. {@code refund_exceeds_charge}) or {@link Unknown} (retry with the same key).
 */
public sealed interface RefundOutcome permits RefundOutcome.Refunded, Rejected, Unknown {

    /** The refund was made (HTTP 201); {@code replayed} when it is an earlier request's stored answer. */
    record Refunded(Refund refund, boolean replayed) implements RefundOutcome {
        public Refunded {
            Objects.requireNonNull(refund, "refund");
        }
    }
}
