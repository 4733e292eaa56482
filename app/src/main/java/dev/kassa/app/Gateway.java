package dev.kassa.app;

import dev.kassa.api.KassaApi;
import dev.kassa.topology.KassaStreams;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All three services in one process — the topology, the ledger sink and the API — on the servers
 * named by {@link GatewaySettings}. This is what {@code kassa dev} runs and what the integration
 * tests share. Closing stops the API first (no new work), then the topology, then the sink.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    /** Where the topology's and the sink's management listeners are, after the API's (docs/api.md). */
    static final int TOPOLOGY_MANAGEMENT_OFFSET = 1;
    static final int SINK_MANAGEMENT_OFFSET = 2;

    private final Services.RunningTopology topology;
    private final Services.RunningSink sink;
    private final KassaApi api;

    private Gateway(Services.RunningTopology topology, Services.RunningSink sink, KassaApi api) {
        this.topology = topology;
        this.sink = sink;
        this.api = api;
    }

    /** Prepares topics and schema, then starts the services; on failure stops what did start. */
    public static Gateway start(GatewaySettings settings) {
        Services.prepare(settings);
        Deque<AutoCloseable> started = new ArrayDeque<>();
        try {
            Services.RunningTopology topology = Services.startTopology(
                    settings.toBuilder().managementPort(settings.managementPort(TOPOLOGY_MANAGEMENT_OFFSET)).build().topology());
            started.push(topology);
            Services.RunningSink sink = Services.startSink(
                    settings.toBuilder().managementPort(settings.managementPort(SINK_MANAGEMENT_OFFSET)).build().sink());
            started.push(sink);
            KassaApi api = Services.startApi(settings.api());
            LOG.info("Kassa gateway up: API on port {}, state endpoint {}, management {} (API), {} (topology), {} (sink)",
                    api.port(), topology.stateUrl().orElse("none"), api.management().url(),
                    topology.management().url(), sink.management().url());
            return new Gateway(topology, sink, api);
        } catch (RuntimeException e) {
            started.forEach(service -> closeQuietly(service, e));
            throw e;
        }
    }

    public KassaApi api() {
        return api;
    }

    public KassaStreams topology() {
        return topology.streams();
    }

    /**
     * The base URL of the topology's state endpoint as the topology advertises it, e.g.
     * {@code http://127.0.0.1:8081}; empty when the settings asked for none.
     */
    public Optional<String> stateUrl() {
        return topology.stateUrl();
    }

    public Services.RunningSink sink() {
        return sink;
    }

    /** The API's management listener's base URL ({@code /admin}, {@code /metrics}, ...), e.g. {@code http://127.0.0.1:9090}. */
    public String managementUrl() {
        return api.management().url();
    }

    /** The topology's management listener's base URL. */
    public String topologyManagementUrl() {
        return topology.management().url();
    }

    /** The ledger sink's management listener's base URL. */
    public String sinkManagementUrl() {
        return sink.management().url();
    }

    /**
     * Completes, with the reason, when the topology or the sink has died: {@code kassa dev} then exits
     * non-zero rather than go on taking payments that nothing decides or books (docs/api.md).
     */
    public CompletableFuture<String> failure() {
        return topology.failure().applyToEither(sink.failure(), reason -> reason);
    }

    /** The API's base URL on the loopback interface, e.g. {@code http://127.0.0.1:8080}. */
    public String apiUrl() {
        return "http://127.0.0.1:" + api.port();
    }

    @Override
    public void close() {
        RuntimeException failure = new RuntimeException("the gateway did not stop cleanly");
        closeQuietly(api, failure);
        closeQuietly(topology, failure);
        closeQuietly(sink, failure);
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "Kassa gateway";
    }

    private static void closeQuietly(AutoCloseable service, RuntimeException failure) {
        try {
            service.close();
        } catch (Exception e) {
            LOG.error("{} did not stop cleanly", service, e);
            failure.addSuppressed(e);
        }
    }
}
