package dev.kassa.api.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kassa.api.health.Readiness;
import dev.kassa.api.health.ReadinessReport;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Objects;

/** {@code /health}, {@code /ready} and {@code /metrics}: unauthenticated, for orchestrators and Prometheus. */
final class OperationsRoutes {

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Readiness readiness;
    private final PrometheusMeterRegistry metrics;

    OperationsRoutes(Readiness readiness, PrometheusMeterRegistry metrics) {
        this.readiness = Objects.requireNonNull(readiness, "readiness");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    void register(RoutesConfig routes) {
        routes.get("/health", this::health);
        routes.get("/ready", this::ready);
        routes.get("/metrics", this::metrics);
    }

    private void health(Context ctx) {
        Responses.write(ctx, ApiResponse.json(200, JsonNodeFactory.instance.objectNode().put("status", "ok")));
    }

    private void ready(Context ctx) {
        ReadinessReport report = readiness.check();
        Responses.write(ctx, ApiResponse.json(report.ready() ? 200 : 503, report.toJson()));
    }

    private void metrics(Context ctx) {
        ctx.contentType(PROMETHEUS_TEXT).result(metrics.scrape());
    }
}
