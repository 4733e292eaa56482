package dev.kassa.ledger.sink;

import dev.kassa.ledger.postgres.WriteResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;

/**
 * What the ledger sink counts, in Micrometer (served by {@code kassa sink}'s management listener,
 * docs/api.md): committed batches' size ({@code kassa_sink_batch_records}) and time
 * ({@code kassa_sink_batch_seconds}), events and entries written ({@code kassa_sink_events_total},
 * {@code kassa_sink_entries_total}: entries/s is their rate), dead letters
 * ({@code kassa_sink_dead_letters_total}), failures by stage ({@code kassa_sink_failures_total{stage}})
 * and the records each assigned partition lags behind its end ({@code kassa_sink_lag_records{topic,partition}}).
 */
public final class SinkMetrics {

    /** Counts into a registry nobody reads: for sinks run without a management listener. */
    public static SinkMetrics none() {
        return new SinkMetrics(new SimpleMeterRegistry());
    }

    private final MeterRegistry registry;
    private final DistributionSummary batchRecords;
    private final Timer batchTime;
    private final Counter events;
    private final Counter entries;
    private final Counter deadLetters;
    private final Map<String, Counter> failures = new ConcurrentHashMap<>();
    private final Map<TopicPartition, AtomicLong> lags = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Meter.Id> lagGauges = new ConcurrentHashMap<>();

    public SinkMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.batchRecords = DistributionSummary.builder("kassa.sink.batch.records")
                .description("records in a committed ledger batch").register(registry);
        this.batchTime = Timer.builder("kassa.sink.batch")
                .description("time to write and commit a ledger batch").register(registry);
        this.events = Counter.builder("kassa.sink.events").description("events written to the ledger").register(registry);
        this.entries = Counter.builder("kassa.sink.entries").description("ledger entries booked").register(registry);
        this.deadLetters = Counter.builder("kassa.sink.dead.letters")
                .description("records set aside in dead_letters").register(registry);
    }

    void batchCommitted(int records, Duration took, WriteResult result) {
        batchRecords.record(records);
        batchTime.record(took);
        events.increment(result.eventsApplied());
        entries.increment(result.entriesBooked());
        deadLetters.increment(result.deadLetters());
    }

    /** A failed batch, seek, poll or purge ({@code stage}), rolled back and retried. */
    void failed(String stage) {
        failures.computeIfAbsent(stage, s -> Counter.builder("kassa.sink.failures").tag("stage", s.replace(' ', '_'))
                .description("ledger sink failures, each rolled back and retried").register(registry)).increment();
    }

    /** The records {@code partition} lags behind its end, as the consumer last saw it. */
    void lag(TopicPartition partition, long records) {
        lags.computeIfAbsent(partition, p -> {
            AtomicLong lag = new AtomicLong();
            lagGauges.put(p, Gauge.builder("kassa.sink.lag", lag, AtomicLong::get).baseUnit("records")
                    .tags(Tags.of("topic", p.topic(), "partition", Integer.toString(p.partition())))
                    .description("records of the partition not yet written to the ledger").register(registry).getId());
            return lag;
        }).set(records);
    }

    /** Partitions no longer assigned here report no lag. */
    void revoked(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            lags.remove(partition);
            Meter.Id gauge = lagGauges.remove(partition);
            if (gauge != null) {
                registry.remove(gauge);
            }
        }
    }
}
