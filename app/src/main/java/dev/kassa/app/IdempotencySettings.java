package dev.kassa.app;

import dev.kassa.api.ApiSettings;
import dev.kassa.ledger.sink.SinkSettings;
import dev.kassa.topology.TopologySettings;
import java.time.Duration;
import java.util.Objects;

/**
 * How long each of the three lines of idempotency remembers a key (docs/api.md, "Idempotency"), and how
 * Redis spreads its keys. A retry within {@code redisTtl} is replayed from Redis byte for byte;
 * within {@code dedupeRetention} the topology still refuses to execute it twice; within
 * {@code ledgerRetention} the API still answers it with the original payment from Postgres. After all
 * three a key is free again and names a new request.
 *
 * @param redisTtl        how long Redis keeps a response for replay (default 24 h)
 * @param redisBuckets    how many Redis hashes the keys spread over (default 65,536): size it so that
 *                        live keys per bucket stay near 128, under Redis's {@code hash-max-ziplist-entries}
 * @param dedupeRetention how long, in stream time, the topology's dedupe store keeps a key (default 25 h)
 * @param ledgerRetention how long Postgres keeps a payment's key (default 30 days)
 */
public record IdempotencySettings(Duration redisTtl, int redisBuckets, Duration dedupeRetention,
                                  Duration ledgerRetention) {

    /** Each module's own defaults, so that the gateway and a service started alone agree. */
    public static final IdempotencySettings DEFAULTS = new IdempotencySettings(ApiSettings.IDEMPOTENCY_TTL_DEFAULT,
            ApiSettings.IDEMPOTENCY_BUCKETS_DEFAULT, TopologySettings.DEDUPE_RETENTION_DEFAULT,
            SinkSettings.KEY_RETENTION_DEFAULT);

    public IdempotencySettings {
        Objects.requireNonNull(redisTtl, "redisTtl");
        Objects.requireNonNull(dedupeRetention, "dedupeRetention");
        Objects.requireNonNull(ledgerRetention, "ledgerRetention");
    }
}
