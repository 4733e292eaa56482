package dev.kassa.app;

import dev.kassa.api.ApiSettings;
import dev.kassa.model.Bounds;
import dev.kassa.model.KafkaClientProperties;
import dev.kassa.topology.TopologySettings;
import java.util.Objects;

/**
 * What each of Kassa's three services takes alike: the Kafka cluster and how to reach it, the layout
 * of Kassa's topics (which every service creates when missing, so all must agree on it), and where
 * the service's management listener ({@code /health}, {@code /ready}, {@code /metrics}; the API's
 * {@code /admin}) binds. Each service's own settings ({@link ApiServiceSettings},
 * {@link TopologyServiceSettings}, {@link SinkServiceSettings}) add what only it uses.
 *
 * @param kafkaBootstrap    Kafka {@code bootstrap.servers}
 * @param kafkaClient       settings every Kafka client gets, e.g. TLS and SASL
 * @param partitions        partitions of every Kassa topic and of the topology's repartition topics
 * @param replicationFactor replication of Kassa's topics and the topology's internal topics
 * @param managementHost    address the management listener (and the topology's state endpoint) binds to;
 *                          {@link ApiSettings#MANAGEMENT_HOST_DEFAULT} by default, so only this machine
 *                          reaches them
 * @param managementPort    port of the service's management listener, 0 for an ephemeral one
 */
public record SharedSettings(String kafkaBootstrap, KafkaClientProperties kafkaClient, int partitions,
                             short replicationFactor, String managementHost, int managementPort) {

    /**
     * Enough for a handful of instances of each service, and the topology's ledger repartition topics
     * must have as many as {@code payments.commands}; an existing topic keeps the count it has.
     */
    public static final int PARTITIONS_DEFAULT = TopologySettings.LEDGER_PARTITIONS_DEFAULT;
    public static final int PARTITIONS_MAX = 1024;
    /** One replica, as a single broker has; production raises it. */
    public static final short REPLICATION_FACTOR_DEFAULT = 1;

    public SharedSettings {
        Bounds.requireText("kafkaBootstrap", kafkaBootstrap);
        Objects.requireNonNull(kafkaClient, "kafkaClient");
        Bounds.requireWithin("partitions", partitions, 1, PARTITIONS_MAX);
        Bounds.requireWithin("replicationFactor", replicationFactor, 1, Short.MAX_VALUE);
        Bounds.requireText("managementHost", managementHost);
        Bounds.requireWithin("managementPort", managementPort, 0, 65_535);
    }
}
