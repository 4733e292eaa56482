package dev.kassa.app.cli;

import dev.kassa.api.ApiSettings;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * How the API's Redis holds idempotency keys; each flag defaults to its environment variable, and
 * that to {@link ApiSettings}' constant ({@link SettingsDefaults}).
 */
public final class RedisKeyOptions {

    @Option(names = "--redis-key-ttl", defaultValue = "${env:KASSA_REDIS_KEY_TTL}",
            converter = DurationConverter.class,
            description = "How long Redis keeps a response for byte-for-byte replay (env KASSA_REDIS_KEY_TTL, "
                    + "default ${DEFAULT-VALUE}).")
    Duration redisTtl;

    @Option(names = "--redis-key-buckets",
            defaultValue = "${env:KASSA_REDIS_KEY_BUCKETS:-" + ApiSettings.IDEMPOTENCY_BUCKETS_DEFAULT + "}",
            description = "Redis hashes the idempotency keys spread over; size it to about live keys / 128 "
                    + "(env KASSA_REDIS_KEY_BUCKETS, default ${DEFAULT-VALUE}).")
    int redisBuckets;
}
