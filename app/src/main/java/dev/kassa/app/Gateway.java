package dev.kassa.app;

import dev.kassa.api.KassaApi;
import dev.kassa.topology.KassaStreams;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All three services in one process — the topology, the ledger sink and the API — on the servers
 * named by {@link GatewaySettings}. This is what {@code kassa dev} runs and what the integration
 * tests share. Closing stops the API first (no new work), then the topology, then the sink.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

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
            Services.RunningTopology topology = Services.startTopology(settings);
            started.push(topology);
            Services.RunningSink sink = Services.startSink(settings);
            started.push(sink);
            KassaApi api = Services.startApi(settings);
            LOG.info("Kassa gateway up: API on port {}, state endpoint {}", api.port(),
                    topology.stateUrl().orElse("none"));
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
