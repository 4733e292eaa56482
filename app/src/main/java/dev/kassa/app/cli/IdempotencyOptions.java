package dev.kassa.app.cli;

import dev.kassa.app.IdempotencySettings;
import picocli.CommandLine.Mixin;

/**
 * How long each line of idempotency remembers a key, and how Redis holds them: the flags of all three
 * services, for {@code kassa dev}, which runs them in one process. Each flag defaults to its
 * environment variable.
 */
public final class IdempotencyOptions {

    @Mixin
    RedisKeyOptions redis;

    @Mixin
    DedupeRetentionOption dedupe;

    @Mixin
    LedgerKeyRetentionOption ledger;

    IdempotencySettings toSettings() {
        return new IdempotencySettings(redis.redisTtl, redis.redisBuckets, dedupe.dedupeRetention,
                ledger.ledgerRetention);
    }
}
