package dev.kassa.app.state;

import dev.kassa.api.http.StrictRouting;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topology's HTTP state endpoint for operators: {@code GET /state/idempotency/{merchant}/{key}}
 * answers what this instance's {@code idempotency-keys} store holds for a key, {@code GET
 * /state/fraud/{account}} what its {@code fraud-activity} store holds for a source account (its
 * velocity windows and recent fraud decisions), each or which instance to ask instead, and
 * {@code GET /state/health} the Kafka Streams client's state.
 *
 * <p>It is started before the topology ({@link #start}), so that an ephemeral port is known and can
 * be advertised as the topology's {@code application.server}; until {@link #serve} hands it the
 * topology, every lookup answers {@code 503 state_unavailable}.
 */
public final class StateServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StateServer.class);

    /** An operators' endpoint: a few threads and connections are plenty, and bound what a flood can take. */
    private static final int HTTP_THREADS_MAX = 16;
    private static final int HTTP_THREADS_MIN = 2;
    private static final int HTTP_CONNECTIONS_MAX = 64;
    private static final int HTTP_THREAD_IDLE_TIMEOUT_MS = 60_000;
    /** Lookups have no body. */
    private static final long REQUEST_BYTES_MAX = 1_024;
    /**
     * Keys may hold {@code /} and {@code %}, which clients send as {@code %2F} and {@code %25}; Jetty
     * rejects both by default as ambiguous, and an encoded control character before the request
     * reaches a route. The routes read the raw path themselves ({@link IdempotencyKeyPath}), so the
     * ambiguity cannot mislead them, and they reject a bad key naming the parameter.
     */
    private static final UriCompliance URI_COMPLIANCE = UriCompliance.DEFAULT.with("kassa-state",
            UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR, UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING,
            UriCompliance.Violation.AMBIGUOUS_PATH_SEGMENT, UriCompliance.Violation.AMBIGUOUS_PATH_PARAMETER,
            UriCompliance.Violation.SUSPICIOUS_PATH_CHARACTERS, UriCompliance.Violation.ILLEGAL_PATH_CHARACTERS);

    private final Javalin server;
    private final AtomicReference<StateRoutes.Served> served;

    private StateServer(Javalin server, AtomicReference<StateRoutes.Served> served) {
        this.server = server;
        this.served = served;
    }

    /**
     * Binds {@code host:port} (0 for an ephemeral port) and starts answering; lookups answer
     * {@code 503} until {@link #serve}.
     *
     * @param adminToken the API's admin token (dev.kassa.api.auth.AdminTokens), required as a bearer token
     */
    public static StateServer start(String host, int port, String adminToken) {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("state port must be within 0..65535: " + port);
        }
        AdminToken token = new AdminToken(adminToken);
        AtomicReference<StateRoutes.Served> served = new AtomicReference<>();
        Javalin server = Javalin.create(config -> {
            configureServer(config, host, port);
            StateErrors.register(config);
            new StateRoutes(token, served::get).register(config.routes);
        });
        server.start();
        LOG.info("state endpoint listening on {}:{}", host, server.port());
        return new StateServer(server, served);
    }

    /**
     * Answers from {@code topology} from now on, naming this instance {@code instance} — the
     * {@code host:port} the topology advertises as its {@code application.server}.
     */
    public void serve(TopologyQueries topology, String instance) {
        served.set(new StateRoutes.Served(topology, instance));
    }

    /** The port the server listens on; the actual one when started on port 0. */
    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
    }

    @Override
    public String toString() {
        return "state endpoint on port " + server.port();
    }

    private static void configureServer(JavalinConfig config, String host, int port) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.jetty.host = host;
        config.jetty.port = port;
        QueuedThreadPool threads = new QueuedThreadPool(HTTP_THREADS_MAX, HTTP_THREADS_MIN, HTTP_THREAD_IDLE_TIMEOUT_MS);
        threads.setName("kassa-state-http");
        config.jetty.threadPool = threads;
        config.jetty.modifyServer(jetty -> {
            jetty.addBean(new NetworkConnectionLimit(HTTP_CONNECTIONS_MAX, jetty));
            jetty.setErrorHandler(new StateErrors.JettyErrors());
        });
        config.jetty.modifyHttpConfiguration(http -> {
            http.setSendServerVersion(false);
            http.setUriCompliance(URI_COMPLIANCE);
        });
        config.jetty.modifyServletContextHandler(context -> context.getServletHandler().setDecodeAmbiguousURIs(true));
        config.http.maxRequestSize = REQUEST_BYTES_MAX;
        StrictRouting.apply(config, StateErrors.JSON);
    }
}
