package dev.kassa.processor;

import java.util.Objects;

/**
 * Every way a charge attempt can end, as {@link CardProcessor#createCharge} classifies it. Only
 * {@link Unknown} may be retried, and only with the same idempotency key: the charge may have been
 * made. {@link Rejected} is permanent.
 */
public sealed interface ChargeOutcome permits ChargeOutcome.Charged, ChargeOutcome.Declined, Rejected, Unknown {

    /**
     * The processor accepted the charge (HTTP 201): its status is {@code succeeded}, or {@code review}
     * while the processor holds it for review. {@code replayed} when the answer is the stored answer of
     * an earlier request with the same idempotency key.
     */
    record Charged(Charge charge, boolean replayed) implements ChargeOutcome {
        public Charged {
            Objects.requireNonNull(charge, "charge");
        }
    }

    /** The card was declined (HTTP 402); the declined charge carries the reason. Final for this key. */
    record Declined(Charge charge, boolean replayed) implements ChargeOutcome {
        public Declined {
            Objects.requireNonNull(charge, "charge");
        }
    }
}
