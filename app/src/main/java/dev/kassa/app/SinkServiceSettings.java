package dev.kassa.app;

import dev.kassa.ledger.postgres.PostgresSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@code kassa sink} runs on, besides {@link SharedSettings}: the ledger database it writes, its
 * name in the consumer group and how long the ledger keeps a payment's idempotency key. It takes no
 * admin token and no Redis: it serves neither {@code /admin} nor a state endpoint.
 *
 * @param instanceId   this process's stable name in the consumer group (static membership); {@code null}
 *                     for dynamic membership
 * @param keyRetention how long {@code idempotency_keys} keeps a payment's key (bounds: {@link
 *                     dev.kassa.ledger.sink.SinkSettings}, checked when the sink starts)
 */
public record SinkServiceSettings(SharedSettings shared, PostgresSettings postgres, String instanceId,
                                  Duration keyRetention) {

    public SinkServiceSettings {
        Objects.requireNonNull(shared, "shared");
        Objects.requireNonNull(postgres, "postgres");
        Objects.requireNonNull(keyRetention, "keyRetention");
    }
}
