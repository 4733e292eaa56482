package dev.kassa.api.http;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Times every request by method, route template and status ({@code kassa_api_requests_seconds} in
 * Prometheus). Routes are the templates ({@code /v1/payments/{id}}), never raw paths, and unmatched
 * requests share one label, so the number of series stays bounded whatever clients send.
 */
final class HttpMetrics {

    private static final String UNMATCHED = "unmatched";
    private static final Duration[] BUCKETS = {
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final MeterRegistry registry;
    /** The timers by method, route and status, so that a request does not build and look one up again. */
    private final Map<Series, Timer> timers = new ConcurrentHashMap<>();

    HttpMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    void record(Context ctx, Float executionTimeMs) {
        timers.computeIfAbsent(new Series(ctx.method().name(), route(ctx), ctx.statusCode()), this::timer)
                .record((long) (executionTimeMs * 1_000_000.0), TimeUnit.NANOSECONDS);
    }

    private Timer timer(Series series) {
        return Timer.builder("kassa.api.requests")
                .description("HTTP requests by method, route template and status")
                .tags("method", series.method(), "route", series.route(), "status", Integer.toString(series.status()))
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }

    private record Series(String method, String route, int status) {
    }

    private static String route(Context ctx) {
        try {
            Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
            return endpoint == null ? UNMATCHED : endpoint.path;
        } catch (RuntimeException noMatch) {
            return UNMATCHED;
        }
    }
}
