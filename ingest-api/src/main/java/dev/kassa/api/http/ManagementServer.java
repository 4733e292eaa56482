package dev.kassa.api.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kassa.model.Bounds;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management listener every Kassa service serves beside its work (docs/api.md, Management port):
 * {@code GET /health} (is the process doing its work), {@code GET /ready} (should it get traffic or
 * partitions) and {@code GET /metrics} (Prometheus text of the service's registry), plus any routes the
 * service adds — the API its {@code /admin} routes. It binds {@value #HOST_DEFAULT} unless told
 * otherwise, so that nothing an operator alone should reach is on a public address by accident. Errors
 * have the API's one shape ({@link ErrorMapper}); an unknown path answers {@code 404 route_not_found}.
 *
 * <p>One class for the API, the topology and the ledger sink: each hands it its probes and registry.
 */
public final class ManagementServer implements AutoCloseable {

    /** The loopback address a management listener binds unless configured otherwise. */
    public static final String HOST_DEFAULT = "127.0.0.1";

    private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    /** An operators' listener: a few threads and connections are plenty, and bound what a flood can take. */
    private static final int HTTP_THREADS_MAX = 16;
    private static final int HTTP_THREADS_MIN = 2;
    private static final int HTTP_CONNECTIONS_MAX = 64;
    private static final int HTTP_THREAD_IDLE_TIMEOUT_MS = 60_000;

    /**
     * What a probe reports: {@code ok} picks {@code 200} or {@code 503}, {@code body} is the JSON answered.
     *
     * @param ok   whether the probe passes
     * @param body the JSON object answered, e.g. {@code {"status": "ok"}}
     */
    public record Status(boolean ok, ObjectNode body) {
        public Status {
            Objects.requireNonNull(body, "body");
        }
    }

    private final Javalin server;
    private final String name;
    private final String host;

    private ManagementServer(Javalin server, String name, String host) {
        this.server = server;
        this.name = name;
        this.host = host;
    }

    /** Starts describing the management listener of service {@code name}, served on {@code host:port}. */
    public static Builder builder(String name, String host, int port, PrometheusMeterRegistry metrics) {
        return new Builder(name, host, port, metrics);
    }

    /** The port the listener is bound to; the actual one when port 0 was asked for. */
    public int port() {
        return server.port();
    }

    /** The address the listener is bound to, as the operating system reports it. */
    public InetSocketAddress boundAddress() {
        for (Connector connector : server.jettyServer().server().getConnectors()) {
            if (connector instanceof ServerConnector serverConnector
                    && serverConnector.getTransport() instanceof ServerSocketChannel channel) {
                try {
                    return (InetSocketAddress) channel.getLocalAddress();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the bound address of " + this, e);
                }
            }
        }
        throw new IllegalStateException(this + " is not bound");
    }

    /**
     * The base URL to reach the listener on this machine, e.g. {@code http://127.0.0.1:9090}: a
     * wildcard bind address is reached on the loopback.
     */
    public String url() {
        String reachable = host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")
                ? "127.0.0.1" : host;
        return "http://" + (reachable.contains(":") && !reachable.startsWith("[") ? "[" + reachable + "]" : reachable)
                + ":" + port();
    }

    /** For tests of the routes: the Javalin application. */
    Javalin javalin() {
        return server;
    }

    @Override
    public void close() {
        server.stop();
    }

    @Override
    public String toString() {
        return name + " management listener on " + host + ":" + server.port();
    }

    /** Describes a management listener; {@link #start()} binds it. */
    public static final class Builder {
        private final String name;
        private final String host;
        private final int port;
        private final PrometheusMeterRegistry metrics;
        private Supplier<Status> health;
        private Supplier<Status> readiness;
        private Consumer<JavalinConfig> extra = config -> { };

        private Builder(String name, String host, int port, PrometheusMeterRegistry metrics) {
            this.name = Bounds.requireText("name", name);
            this.host = Bounds.requireText("host", host);
            this.port = (int) Bounds.requireWithin("port", port, 0, 65_535);
            this.metrics = Objects.requireNonNull(metrics, "metrics");
        }

        /** {@code GET /health}: whether the service does its work (a dead worker answers 503). */
        public Builder health(Supplier<Status> health) {
            this.health = Objects.requireNonNull(health, "health");
            return this;
        }

        /** {@code GET /ready}: whether the service is ready for traffic or partitions. */
        public Builder readiness(Supplier<Status> readiness) {
            this.readiness = Objects.requireNonNull(readiness, "readiness");
            return this;
        }

        /** More routes and settings, e.g. the API's {@code /admin} routes and request metrics. */
        public Builder configure(Consumer<JavalinConfig> extra) {
            this.extra = Objects.requireNonNull(extra, "extra");
            return this;
        }

        /** Binds and starts answering; fails when the address is taken. */
        public ManagementServer start() {
            Objects.requireNonNull(health, "health");
            Objects.requireNonNull(readiness, "readiness");
            Javalin server = Javalin.create(config -> {
                configureServer(config);
                ErrorMapper.register(config.routes);
                config.router.javaLangErrorHandler(ErrorMapper::handleError);
                config.routes.get("/health", ctx -> probe(ctx, health.get()));
                config.routes.get("/ready", ctx -> probe(ctx, readiness.get()));
                config.routes.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_TEXT).result(metrics.scrape()));
                extra.accept(config);
            });
            server.start();
            ManagementServer started = new ManagementServer(server, name, host);
            LOG.info("{} management listener on {}:{} (/health, /ready, /metrics)", name, host, server.port());
            return started;
        }

        private static void probe(Context ctx, Status status) {
            Responses.write(ctx, ApiResponse.json(status.ok() ? 200 : 503, status.body()));
        }

        private void configureServer(JavalinConfig config) {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = host;
            config.jetty.port = port;
            QueuedThreadPool threads = new QueuedThreadPool(HTTP_THREADS_MAX, HTTP_THREADS_MIN, HTTP_THREAD_IDLE_TIMEOUT_MS);
            threads.setName("kassa-management-" + name);
            config.jetty.threadPool = threads;
            config.jetty.modifyServer(jetty -> {
                jetty.addBean(new NetworkConnectionLimit(HTTP_CONNECTIONS_MAX, jetty));
                jetty.setErrorHandler(new JsonErrorHandler());
            });
            config.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
            StrictRouting.apply(config, ErrorMapper.JSON);
        }
    }
}
