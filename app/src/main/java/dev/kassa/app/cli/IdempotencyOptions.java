package dev.kassa.app.cli;

import dev.kassa.app.IdempotencySettings;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * How long each line of idempotency remembers a key, and how Redis holds them; each flag defaults to
 * its environment variable.
 */
public final class IdempotencyOptions {

    @Option(names = "--redis-key-ttl", defaultValue = "${env:KASSA_REDIS_KEY_TTL:-24h}",
            converter = DurationConverter.class,
            description = "How long Redis keeps a response for byte-for-byte replay (env KASSA_REDIS_KEY_TTL, "
                    + "default ${DEFAULT-VALUE}).")
    Duration redisTtl;

    @Option(names = "--redis-key-buckets", defaultValue = "${env:KASSA_REDIS_KEY_BUCKETS:-65536}",
            description = "Redis hashes the idempotency keys spread over; size it to about live keys / 128 "
                    + "(env KASSA_REDIS_KEY_BUCKETS, default ${DEFAULT-VALUE}).")
    int redisBuckets;

    @Option(names = "--dedupe-retention", defaultValue = "${env:KASSA_DEDUPE_RETENTION:-25h}",
            converter = DurationConverter.class,
            description = "How long the topology's dedupe store keeps a key, in stream time (env KASSA_DEDUPE_RETENTION, "
                    + "default ${DEFAULT-VALUE}).")
    Duration dedupeRetention;

    @Option(names = "--ledger-key-retention", defaultValue = "${env:KASSA_LEDGER_KEY_RETENTION:-30d}",
            converter = DurationConverter.class,
            description = "How long Postgres keeps a payment's idempotency key (env KASSA_LEDGER_KEY_RETENTION, "
                    + "default ${DEFAULT-VALUE}).")
    Duration ledgerRetention;

    IdempotencySettings toSettings() {
        return new IdempotencySettings(redisTtl, redisBuckets, dedupeRetention, ledgerRetention);
    }
}
