package dev.kassa.api.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kassa.api.ApiSettings;
import dev.kassa.api.health.ReadinessReport;
import dev.kassa.api.limits.Throttle;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Builds the API's two listeners: the public Javalin application (server settings, the one error
 * mapper, request metrics and the {@code /v1} routes) and the management listener ({@code /admin},
 * {@code /health}, {@code /ready}, {@code /metrics}; docs/api.md, Management port). It holds no
 * business logic; the routes call {@link ApiServices}.
 */
public final class ApiServer {

    private static final int HTTP_THREADS_MIN = 8;
    private static final int HTTP_THREAD_IDLE_TIMEOUT_MS = 60_000;

    private ApiServer() {
    }

    /** The configured, not yet started public application: {@code /v1} and {@code /openapi.json}. */
    public static Javalin create(ApiSettings settings, ApiServices services) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(services, "services");
        return Javalin.create(config -> {
            configureServer(config, settings, services.metrics());
            HttpMetrics metrics = new HttpMetrics(services.metrics());
            config.requestLogger.http(metrics::record);
            ErrorMapper.register(config.routes);
            config.router.javaLangErrorHandler(ErrorMapper::handleError);
            registerRoutes(config, settings, services);
        });
    }

    /**
     * Starts the management listener on {@link ApiSettings#managementHost()}:{@link ApiSettings#managementPort()}:
     * {@code /admin} behind the admin token (rate limited by address, as on the public port before),
     * {@code /health}, {@code /ready} and {@code /metrics}.
     */
    public static ManagementServer startManagement(ApiSettings settings, ApiServices services) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(services, "services");
        Requests requests = requests(settings, services);
        return ManagementServer.builder("api", settings.managementHost(), settings.managementPort(), services.metrics())
                .health(() -> new ManagementServer.Status(true, JsonNodeFactory.instance.objectNode().put("status", "ok")))
                .readiness(() -> {
                    ReadinessReport report = services.readiness().check();
                    return new ManagementServer.Status(report.ready(), report.toJson());
                })
                .configure(config -> {
                    config.http.maxRequestSize = settings.maxBodyBytes();
                    HttpMetrics metrics = new HttpMetrics(services.metrics());
                    config.requestLogger.http(metrics::record);
                    config.routes.before("/admin/*", requests::limitAddress);
                    config.routes.after(Requests::release);
                    new AdminRoutes(requests, services.idempotency(), services.merchants()).register(config.routes);
                })
                .start();
    }

    private static Requests requests(ApiSettings settings, ApiServices services) {
        return new Requests(services.authenticator(), new RequestBodies(settings.maxBodyBytes()),
                new Throttle(settings.rateLimits(), services.metrics()));
    }

    private static void configureServer(JavalinConfig config, ApiSettings settings, MeterRegistry metrics) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.jetty.host = settings.host();
        config.jetty.port = settings.port();
        QueuedThreadPool threads = new QueuedThreadPool(settings.httpThreadsMax(), HTTP_THREADS_MIN, HTTP_THREAD_IDLE_TIMEOUT_MS);
        threads.setName("kassa-api-http");
        config.jetty.threadPool = threads;
        // Jetty wants an unbounded job queue (a bounded one can starve its own selector tasks); the
        // connection limit bounds the work instead, as each HTTP/1.1 connection runs one request at a time.
        config.jetty.modifyServer(server -> {
            server.addBean(new NetworkConnectionLimit(settings.httpConnectionsMax(), server));
            server.setErrorHandler(new JsonErrorHandler());
            // Slow clients (docs/api.md): a silent connection, headers trickled in, a body trickled in.
            server.addBean(new SlowClients(server, settings.httpIdleTimeout(), settings.httpHeaderTimeout(), metrics));
        });
        config.jetty.modifyHttpConfiguration(http -> {
            http.setSendServerVersion(false);
            http.setMinRequestDataRate(settings.httpMinRequestRate());
        });
        config.http.maxRequestSize = settings.maxBodyBytes();
        StrictRouting.apply(config, ErrorMapper.JSON);
    }

    private static void registerRoutes(JavalinConfig config, ApiSettings settings, ApiServices services) {
        Requests requests = requests(settings, services);
        // Rate limits (docs/api.md): every merchant request counts against its address (administrator
        // requests on the management listener too).
        config.routes.before("/v1/*", requests::limitAddress);
        config.routes.after(Requests::release);
        new PaymentRoutes(requests, services.idempotency(), services.payments(), services.work()).register(config.routes);
        new RefundRoutes(requests, services.idempotency(), services.refunds()).register(config.routes);
        new AccountRoutes(requests, services.idempotency(), services.accounts()).register(config.routes);
        new OperationsRoutes().register(config.routes);
    }
}
