package dev.kassa.app.connector;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the card connector counts, in Micrometer (served by {@code kassa connector}'s management
 * listener, docs/api.md, Management port): requests sent to the processor
 * ({@code kassa_connector_requests_sent_total}, every attempt), outcomes by kind
 * ({@code kassa_connector_outcomes_total{kind}}: succeeded, declined, rejected, review, refunded),
 * retries of unknown outcomes ({@code kassa_connector_retries_total}), requests read and not yet
 * answered ({@code kassa_connector_in_flight}) and the requests of {@code card.charges} not yet read
 * ({@code kassa_connector_lag_records}, summed over the assigned partitions).
 */
public final class ConnectorMetrics {

    /** Outcome kinds, as the {@code kind} tag spells them. */
    static final String SUCCEEDED = "succeeded";
    static final String DECLINED = "declined";
    static final String REJECTED = "rejected";
    static final String REVIEW = "review";
    static final String REFUNDED = "refunded";

    /** Counts into a registry nobody reads: for connectors run without a management listener. */
    public static ConnectorMetrics none() {
        return new ConnectorMetrics(new SimpleMeterRegistry());
    }

    private final MeterRegistry registry;
    private final Counter sent;
    private final Counter retries;
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong lag = new AtomicLong();

    public ConnectorMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.sent = Counter.builder("kassa.connector.requests.sent")
                .description("charge and refund requests sent to the card processor, retries included").register(registry);
        this.retries = Counter.builder("kassa.connector.retries")
                .description("unknown outcomes (timeout, dropped connection, 5xx) retried with the same key").register(registry);
        Gauge.builder("kassa.connector.in.flight", inFlight, AtomicLong::get)
                .description("charge and refund requests read and not yet answered").register(registry);
        Gauge.builder("kassa.connector.lag", lag, AtomicLong::get).baseUnit("records")
                .description("requests of card.charges not yet read, over the assigned partitions").register(registry);
    }

    void sent() {
        sent.increment();
    }

    void retried() {
        retries.increment();
    }

    void outcome(String kind) {
        outcomes.computeIfAbsent(kind, k -> Counter.builder("kassa.connector.outcomes").tag("kind", k)
                .description("the processor's final answers, by kind").register(registry)).increment();
    }

    void inFlight(long requests) {
        inFlight.set(requests);
    }

    void lag(long records) {
        lag.set(records);
    }
}
