package dev.kassa.api.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kassa.api.health.Readiness;
import dev.kassa.api.health.ReadinessReport;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * {@code /health}, {@code /ready} and {@code /metrics}: unauthenticated, for orchestrators and
 * Prometheus; and {@code /openapi.json}, the OpenAPI 3.1 document of the whole API.
 */
final class OperationsRoutes {

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    /** The OpenAPI document, a resource beside this class; a test holds it to the routes the server registers. */
    static final String OPENAPI_RESOURCE = "openapi.json";
    private static final byte[] OPENAPI = openApi();

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
        routes.get("/openapi.json", ctx -> ctx.contentType(ErrorMapper.JSON).result(OPENAPI));
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

    private static byte[] openApi() {
        try (InputStream in = OperationsRoutes.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the OpenAPI document " + OPENAPI_RESOURCE + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the OpenAPI document", e);
        }
    }
}
