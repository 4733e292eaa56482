package dev.kassa.api.json;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * How every object of the HTTP API writes an instant (docs/api.md): ISO-8601 UTC, to the second, e.g.
 * {@code 2026-11-25T08:00:00Z}. It sits below the services' renderers ({@code PaymentJson}, {@code AccountJson},
 * {@code RefundJson}, {@code MerchantJson}) so that none of them has to reach into another service's package
 * for it (CONTRIBUTING.md, "Build guardrails": no cycles between packages).
 */
public final class JsonTimestamps {

    private JsonTimestamps() {
    }

    /** An instant as docs/api.md writes it: ISO-8601 UTC, to the second, e.g. {@code 2026-11-25T08:00:00Z}. */
    public static String of(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
