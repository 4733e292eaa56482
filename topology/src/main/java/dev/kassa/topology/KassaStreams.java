package dev.kassa.topology;

import dev.kassa.model.Bounds;
import dev.kassa.model.Command;
import dev.kassa.topology.dedupe.IdempotencyEntry;
import dev.kassa.topology.fraud.SourceActivity;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
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

    private static final Logger LOG = LoggerFactory.getLogger(KassaStreams.class);

    private final Topology topology;
    private final KafkaStreams streams;
    private final Duration closeTimeout;
    /**
     * Leave the group on close when the membership is dynamic: the partitions move at once instead of
     * after the session timeout. A static member stays, so that its restart takes them back without
     * a rebalance.
     */
    private final CloseOptions.GroupMembershipOperation membershipOnClose;
    /** This instance's {@code application.server}, or {@link HostInfo#unavailable()} when not advertised. */
    private final HostInfo localHost;

    private final List<KafkaStreams.StateListener> stateListeners;

    private KassaStreams(Topology topology, KafkaStreams streams, Duration closeTimeout,
                         CloseOptions.GroupMembershipOperation membershipOnClose, HostInfo localHost,
                         List<KafkaStreams.StateListener> stateListeners) {
        this.stateListeners = stateListeners;
        this.topology = topology;
        this.streams = streams;
        this.closeTimeout = closeTimeout;
        this.membershipOnClose = membershipOnClose;
        this.localHost = localHost;
    }

    /** Builds the topology and the Kafka Streams client, without connecting or starting anything. */
    public static KassaStreams create(TopologySettings topologySettings, StreamsSettings streamsSettings) {
        Objects.requireNonNull(topologySettings, "topologySettings");
        Objects.requireNonNull(streamsSettings, "streamsSettings");
        Topology topology = KassaTopology.build(topologySettings, streamsSettings);
        KafkaStreams streams = new KafkaStreams(topology, streamsSettings.toProperties());
        streams.setUncaughtExceptionHandler(exception -> {
            LOG.error("stream thread failed; shutting this topology instance down", exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        List<KafkaStreams.StateListener> listeners = new CopyOnWriteArrayList<>();
        streams.setStateListener((newState, oldState) -> {
            LOG.info("topology {} -> {}", oldState, newState);
            listeners.forEach(listener -> listener.onChange(newState, oldState));
        });
        String server = streamsSettings.toProperties().getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG, "");
        HostInfo localHost = server.isBlank() ? HostInfo.unavailable() : HostInfo.buildFromEndpoint(server);
        CloseOptions.GroupMembershipOperation membershipOnClose = streamsSettings.groupInstanceId() == null
                ? CloseOptions.GroupMembershipOperation.LEAVE_GROUP
                : CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP;
        return new KassaStreams(topology, streams, streamsSettings.closeTimeout(), membershipOnClose, localHost, listeners);
    }

    /** Starts processing in the background; returns at once. */
    public void start() {
        LOG.info("starting topology:\n{}", describe());
        streams.start();
    }

    /** True while the instance processes or rebalances; false before start, after close or after a fatal error. */
    public boolean isRunning() {
        return streams.state().isRunningOrRebalancing();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /**
     * Calls {@code listener} on every state change of the Kafka Streams client, after it is logged (on
     * the thread that changed it: keep it short). Add listeners before {@link #start()}.
     */
    public void onStateChange(KafkaStreams.StateListener listener) {
        stateListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * The Kafka Streams client, for metrics binders only (Micrometer's {@code KafkaStreamsMetrics}
     * reads its {@code metrics()}); start and close it through this class.
     */
    public KafkaStreams client() {
        return streams;
    }

    /** The topology as Kafka Streams describes it: sub-topologies, named processors, stores and topics. */
    public String describe() {
        return topology.describe().toString();
    }

    /**
     * Looks up {@code merchantId}'s {@code idempotencyKey} in the {@code idempotency-keys} store of
     * this instance. The key is remembered in the task of the account its command was routed by
     * ({@link Command#routingKey()}: a payment's source, a deposit's external account, a refund's payment's
     * destination), so {@code routingAccount} names that account; null looks where an account
     * opening's key is, and a command's of a release before the one-hop topology: the partition of
     * the key itself. When another instance owns that partition the answer says which, instead of a
     * "not found" that would be wrong; when the store cannot be queried now (not started,
     * rebalancing, restoring) the answer says so. The lookup reads only the local store.
     */
    public StoreLookup<IdempotencyEntry> idempotencyKey(String merchantId, String idempotencyKey, String routingAccount) {
        Bounds.requireText("merchantId", merchantId);
        Bounds.requireText("idempotencyKey", idempotencyKey);
        String commandKey = Command.commandKey(merchantId, idempotencyKey);
        return lookup(KassaTopology.IDEMPOTENCY_KEYS_STORE, commandKey,
                routingAccount == null ? commandKey : Bounds.requireText("routingAccount", routingAccount));
    }

    /**
     * Looks up what the fraud stage remembers of source account {@code accountId} in the
     * {@code fraud-activity} store of this instance: its velocity buckets, declines and recent
     * decisions. The store is keyed by the account id and partitioned like the ledger's repartition
     * topics, with the default partitioner on the id's UTF-8 bytes, so the key's owner is found with
     * the string serializer. Answers as {@link #idempotencyKey} does; reads only the local store.
     */
    public StoreLookup<SourceActivity> fraudActivity(String accountId) {
        Bounds.requireText("accountId", accountId);
        return lookup(KassaTopology.FRAUD_ACTIVITY_STORE, accountId, accountId);
    }

    /**
     * {@code key} in the local key-value store {@code storeName}, kept in the partition that
     * {@code partitionKey} falls in with the default partitioner on its UTF-8 bytes.
     */
    private <V> StoreLookup<V> lookup(String storeName, String key, String partitionKey) {
        try {
            KeyQueryMetadata owner = streams.queryMetadataForKey(storeName, partitionKey, Serdes.String().serializer());
            if (owner == null || KeyQueryMetadata.NOT_AVAILABLE.equals(owner)) {
                return new StoreLookup.Unavailable<>("no instance owns key " + key + " right now");
            }
            if (!isLocal(storeName, owner)) {
                HostInfo host = owner.activeHost();
                return HostInfo.unavailable().equals(host)
                        ? new StoreLookup.Unavailable<>("key " + key + " is owned by an instance that"
                                + " advertises no " + StreamsConfig.APPLICATION_SERVER_CONFIG)
                        : new StoreLookup.OwnedElsewhere<>(host.host(), host.port());
            }
            ReadOnlyKeyValueStore<String, V> store = streams.store(StoreQueryParameters
                    .fromNameAndType(storeName, QueryableStoreTypes.<String, V>keyValueStore())
                    .withPartition(owner.partition()));
            V value = store.get(key);
            return value == null ? new StoreLookup.NotFound<>() : new StoreLookup.Found<>(value);
        } catch (InvalidStateStoreException | IllegalStateException e) {
            // Not started, rebalancing, migrating or restoring: a later query gets an answer.
            return new StoreLookup.Unavailable<>("store " + storeName + " cannot answer for key " + key + " now: "
                    + e.getMessage());
        }
    }

    /**
     * The key is local when its active host is this instance's advertised host, or, without an
     * advertised host, when one of this instance's active tasks is the key's partition of the
     * sub-topology that holds {@code storeName}.
     */
    private boolean isLocal(String storeName, KeyQueryMetadata owner) {
        if (!HostInfo.unavailable().equals(localHost)) {
            return localHost.equals(owner.activeHost());
        }
        Set<Integer> subtopologies = subtopologiesWith(storeName);
        return streams.metadataForLocalThreads().stream()
                .flatMap(thread -> thread.activeTasks().stream())
                .map(TaskMetadata::taskId)
                .anyMatch(task -> task.partition() == owner.partition() && subtopologies.contains(task.subtopology()));
    }

    /** The ids of the sub-topologies whose processors use {@code storeName}. */
    private Set<Integer> subtopologiesWith(String storeName) {
        return topology.describe().subtopologies().stream()
                .filter(subtopology -> subtopology.nodes().stream().anyMatch(node ->
                        node instanceof TopologyDescription.Processor processor
                                && processor.stores().contains(storeName)))
                .map(TopologyDescription.Subtopology::id)
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Stops processing, waiting at most {@code timeout} for in-flight transactions to commit and
     * threads to finish.
     *
     * @return true when everything stopped within the timeout
     */
    public boolean close(Duration timeout) {
        boolean closed = streams.close(CloseOptions.timeout(timeout).withGroupMembershipOperation(membershipOnClose));
        if (!closed) {
            LOG.warn("topology did not close within {}; its state is {}", timeout, streams.state());
        }
        return closed;
    }

    /** Closes within the settings' {@link StreamsSettings#closeTimeout()}. */
    @Override
    public void close() {
        close(closeTimeout);
    }
}
