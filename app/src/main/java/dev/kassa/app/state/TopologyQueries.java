package dev.kassa.app.state;

import dev.kassa.topology.KassaStreams;
import dev.kassa.topology.StoreLookup;
import dev.kassa.topology.dedupe.IdempotencyEntry;
import dev.kassa.topology.fraud.SourceActivity;
import java.util.Objects;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What the state endpoint asks of the topology: its client's state, one key of its
 * {@code idempotency-keys} store, and one source account of its {@code fraud-activity} store.
 * {@link #of(KassaStreams)} answers from a running instance; tests answer from a fake to check the
 * HTTP mapping alone.
 */
public interface TopologyQueries {

    KafkaStreams.State state();

    /** {@code routingAccount}: the account the key's command was routed by, or null for the key's own partition. */
    StoreLookup<IdempotencyEntry> idempotencyKey(String merchantId, String idempotencyKey, String routingAccount);

    StoreLookup<SourceActivity> fraudActivity(String accountId);

    static TopologyQueries of(KassaStreams streams) {
        Objects.requireNonNull(streams, "streams");
        return new TopologyQueries() {
            @Override
            public KafkaStreams.State state() {
                return streams.state();
            }

            @Override
            public StoreLookup<IdempotencyEntry> idempotencyKey(String merchantId, String idempotencyKey,
                                                                String routingAccount) {
                return streams.idempotencyKey(merchantId, idempotencyKey, routingAccount);
            }

            @Override
            public StoreLookup<SourceActivity> fraudActivity(String accountId) {
                return streams.fraudActivity(accountId);
            }
        };
    }
}
