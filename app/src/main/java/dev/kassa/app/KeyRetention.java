package dev.kassa.app;

import java.time.Duration;
import java.util.Objects;

/**
 * How long each of the three lines of idempotency remembers a key (API.md, "Idempotency"). A retry
 * within {@code redisTtl} is replayed from Redis byte for byte; within {@code dedupeRetention} the
 * topology still refuses to execute it twice; within {@code ledgerRetention} the API still answers it
 * with the original payment from Postgres. After all three a key is free again and names a new request.
 *
 * @param redisTtl        how long Redis keeps a response for replay (default 24 h)
 * @param dedupeRetention how long, in stream time, the topology's dedupe store keeps a key (default 25 h)
 * @param ledgerRetention how long Postgres keeps a payment's key (default 30 days)
 */
public record KeyRetention(Duration redisTtl, Duration dedupeRetention, Duration ledgerRetention) {

    public static final KeyRetention DEFAULTS =
            new KeyRetention(Duration.ofHours(24), Duration.ofHours(25), Duration.ofDays(30));

    public KeyRetention {
        Objects.requireNonNull(redisTtl, "redisTtl");
        Objects.requireNonNull(dedupeRetention, "dedupeRetention");
        Objects.requireNonNull(ledgerRetention, "ledgerRetention");
    }
}
