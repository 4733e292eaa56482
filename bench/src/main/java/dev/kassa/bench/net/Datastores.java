package dev.kassa.bench.net;

import dev.kassa.app.Connections;
import dev.kassa.runtime.EmbeddedRuntime;
import dev.kassa.runtime.RuntimeConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded runtime's Kafka, Postgres and Redis as the systems under test reach them: directly, or
 * — with a positive round-trip time ({@code --datastore-rtt}) — each through a {@link DelayProxy}, so
 * that Kassa's services and the baseline pay a network hop on every exchange with a datastore, as
 * they would beyond this one machine. Kafka is reached through the broker's relayed listener, which
 * advertises the proxy's port, so metadata never hands a client the broker's own address.
 *
 * <p>Only the addresses given out here pass the proxies; the runtime's own ({@link
 * EmbeddedRuntime#bootstrapServers()}, {@link EmbeddedRuntime#jdbcUrl()}) stay direct for the bench's
 * setup and for the reads that measure results.
 */
public final class Datastores implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Datastores.class);

    private final EmbeddedRuntime runtime;
    private final Duration roundTrip;
    private final List<DelayProxy> proxies;
    private final String kafkaBootstrap;
    private final String postgresAddress;
    private final String redisAddress;

    private Datastores(EmbeddedRuntime runtime, Duration roundTrip, List<DelayProxy> proxies, String kafkaBootstrap,
                       String postgresAddress, String redisAddress) {
        this.runtime = runtime;
        this.roundTrip = roundTrip;
        this.proxies = List.copyOf(proxies);
        this.kafkaBootstrap = kafkaBootstrap;
        this.postgresAddress = postgresAddress;
        this.redisAddress = redisAddress;
    }

    /**
     * Starts the runtime and, for a positive {@code roundTrip}, a delay proxy in front of each of its
     * servers; zero is direct.
     *
     * @param roundTrip 0 to {@link DelayProxy#ROUND_TRIP_MAX}
     */
    public static Datastores start(RuntimeConfig config, Duration roundTrip) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(roundTrip, "roundTrip");
        if (roundTrip.isZero()) {
            EmbeddedRuntime runtime = EmbeddedRuntime.start(config);
            String host = loopbackHost(runtime);
            return new Datastores(runtime, roundTrip, List.of(), runtime.bootstrapServers(),
                    host + ":" + runtime.postgres().port(), host + ":" + runtime.redis().port());
        }
        List<DelayProxy> proxies = new ArrayList<>();
        try {
            // Bound first: the broker must advertise the proxy's port before anyone connects through it.
            DelayProxy kafka = add(proxies, DelayProxy.bind(roundTrip));
            EmbeddedRuntime runtime = EmbeddedRuntime.start(config.withKafkaRelay(kafka.port()));
            return behindProxies(runtime, roundTrip, proxies, kafka);
        } catch (RuntimeException e) {
            proxies.forEach(DelayProxy::close);
            throw e;
        }
    }

    private static Datastores behindProxies(EmbeddedRuntime runtime, Duration roundTrip, List<DelayProxy> proxies,
                                            DelayProxy kafka) {
        try {
            kafka.forwardTo(runtime.kafka().relayedListener().orElseThrow().address());
            String host = loopbackHost(runtime);
            DelayProxy postgres = add(proxies,
                    DelayProxy.start(new InetSocketAddress(host, runtime.postgres().port()), roundTrip));
            DelayProxy redis = add(proxies, DelayProxy.start(new InetSocketAddress(host, runtime.redis().port()),
                    roundTrip));
            LOG.info("Kafka, Postgres and Redis behind a {} round trip at {}, {} and {}", roundTrip, kafka.address(),
                    postgres.address(), redis.address());
            return new Datastores(runtime, roundTrip, proxies, kafka.address(), postgres.address(), redis.address());
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    public EmbeddedRuntime runtime() {
        return runtime;
    }

    /** The round trip each exchange with a datastore pays; zero when direct. */
    public Duration roundTrip() {
        return roundTrip;
    }

    /** Kafka's {@code bootstrap.servers} for the systems under test. */
    public String kafkaBootstrap() {
        return kafkaBootstrap;
    }

    /** The runtime's {@code kassa} database, for the systems under test. */
    public String jdbcUrl() {
        return jdbcUrl(runtime.postgres().database());
    }

    /** Another database of the runtime's Postgres, for the systems under test. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + postgresAddress + "/" + database;
    }

    /** Redis, for the systems under test. */
    public String redisUri() {
        return "redis://" + redisAddress;
    }

    /** Where Kassa's services find the three servers, with the runtime's credentials. */
    public Connections connections() {
        return new Connections(kafkaBootstrap, jdbcUrl(), runtime.postgres().user(), runtime.postgres().password(),
                redisUri());
    }

    /** Stops the runtime (its services first), then the proxies, which the services needed until then. */
    @Override
    public void close() {
        try {
            runtime.close();
        } finally {
            proxies.forEach(DelayProxy::close);
        }
    }

    private static DelayProxy add(List<DelayProxy> proxies, DelayProxy proxy) {
        proxies.add(proxy);
        return proxy;
    }

    /** The one loopback address every server of the runtime binds. */
    private static String loopbackHost(EmbeddedRuntime runtime) {
        return runtime.redis().host();
    }
}
