package dev.kassa.topology;

import java.time.Duration;
import java.util.Objects;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the topology: wires {@link KafkaStreams} from {@link StreamsSettings} and the topology that
 * {@link KassaTopology} builds, starts it, reports its state and closes it within a bound. The app
 * module's {@code main} creates one, starts it and closes it from its shutdown hook.
 *
 * <p>A stream thread that dies of an exception shuts this client down instead of being replaced:
 * the exception is a broken invariant or a record that cannot be written, and retrying the same
 * record in a loop would only hide it. Another instance takes over the partitions; operators see
 * {@link #isRunning()} turn false.
 */
public final class KassaStreams implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KassaStreams.class);

    private final Topology topology;
    private final KafkaStreams streams;
    private final Duration closeTimeout;

    private KassaStreams(Topology topology, KafkaStreams streams, Duration closeTimeout) {
        this.topology = topology;
        this.streams = streams;
        this.closeTimeout = closeTimeout;
    }

    /** Builds the topology and the Kafka Streams client, without connecting or starting anything. */
    public static KassaStreams create(TopologySettings topologySettings, StreamsSettings streamsSettings) {
        Objects.requireNonNull(topologySettings, "topologySettings");
        Objects.requireNonNull(streamsSettings, "streamsSettings");
        Topology topology = KassaTopology.build(topologySettings, streamsSettings);
        KafkaStreams streams = new KafkaStreams(topology, streamsSettings.toProperties());
        streams.setUncaughtExceptionHandler(exception -> {
            log.error("stream thread failed; shutting this topology instance down", exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((newState, oldState) ->
                log.info("topology {} -> {}", oldState, newState));
        return new KassaStreams(topology, streams, streamsSettings.closeTimeout());
    }

    /** Starts processing in the background; returns at once. */
    public void start() {
        log.info("starting topology:\n{}", describe());
        streams.start();
    }

    /** True while the instance processes or rebalances; false before start, after close or after a fatal error. */
    public boolean isRunning() {
        return streams.state().isRunningOrRebalancing();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** The topology as Kafka Streams describes it: sub-topologies, named processors, stores and topics. */
    public String describe() {
        return topology.describe().toString();
    }

    /**
     * Stops processing, waiting at most {@code timeout} for in-flight transactions to commit and
     * threads to finish.
     *
     * @return true when everything stopped within the timeout
     */
    public boolean close(Duration timeout) {
        boolean closed = streams.close(CloseOptions.timeout(timeout));
        if (!closed) {
            log.warn("topology did not close within {}; its state is {}", timeout, streams.state());
        }
        return closed;
    }

    /** Closes within the settings' {@link StreamsSettings#closeTimeout()}. */
    @Override
    public void close() {
        close(closeTimeout);
    }
}
