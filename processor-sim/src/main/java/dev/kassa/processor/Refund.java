package dev.kassa.processor;

import java.time.Instant;
import java.util.Objects;

/**
 * A refund of (part of) a succeeded {@link Charge}, in minor units of the charge's currency. A processor
 * refunds at most what is left of the charge; the sandbox's refunds always succeed (docs/processor-sim.md).
 */
public record Refund(String id, String object, String charge, long amount, String currency, String status, Instant created) {

    public static final String OBJECT = "refund";
    public static final String SUCCEEDED = "succeeded";

    public Refund {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(charge, "charge");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(created, "created");
        if (amount <= 0) {
            throw new IllegalArgumentException("refund " + id + " of " + charge + ": amount must be positive, got " + amount);
        }
    }
}
