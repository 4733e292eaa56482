package dev.kassa.bench.net;

import dev.kassa.bench.load.LoadThreads;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy on the loopback address that delays everything it forwards by half a round-trip time
 * in each direction: this kernel has no netem, so the bench puts one in front of each datastore to run
 * Kassa and the baseline as if Kafka, Postgres and Redis were a network hop away.
 *
 * <p>Each accepted connection gets its own upstream connection to the target. Bytes read from either
 * side are delivered to the other at their read time plus the one-way delay, in order, as one byte
 * stream: data sent back to back arrives back to back, half a round trip later, so the delay adds
 * latency but no per-connection limit on throughput (beyond {@link DelayedPipe#BUFFERED_BYTES_MAX}
 * in flight per direction). An end of stream is forwarded as a half close after the same delay; a
 * connection is closed on both sides once both directions ended, or at once when either side fails.
 * Connecting itself is not delayed: clients that pool their connections see the delay on every
 * exchange, as over a network, and the handshake's own round trip is left out.
 *
 * <pre>{@code
 * try (DelayProxy proxy = DelayProxy.start(new InetSocketAddress("127.0.0.1", 5432), Duration.ofMillis(1))) {
 *     String jdbcUrl = "jdbc:postgresql://" + proxy.address() + "/kassa";
 * }
 * }</pre>
 *
 * <p>A proxy whose target is not known yet — Kafka's relayed listener, which must advertise the
 * proxy's port before it starts — is {@link #bind bound} first and {@link #forwardTo told its target}
 * later; connections made in between wait in the listen backlog.
 */
public final class DelayProxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DelayProxy.class);
    private static final String HOST = "127.0.0.1";
    /** A bound far above any delay worth simulating, so a typo (say 100s for 100ms) fails loudly. */
    public static final Duration ROUND_TRIP_MAX = Duration.ofSeconds(10);
    /** Connections not yet accepted; more wait in the kernel's queue or are refused, as by any server. */
    private static final int ACCEPT_BACKLOG = 128;

    private final ServerSocket listener;
    private final Duration oneWay;
    private final ExecutorService threads;
    private final Set<ProxiedConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean forwarding = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private DelayProxy(ServerSocket listener, Duration roundTrip) {
        this.listener = listener;
        this.oneWay = roundTrip.dividedBy(2);
        this.threads = Executors.newCachedThreadPool(LoadThreads.named("delay-proxy-" + listener.getLocalPort()));
    }

    /**
     * Listens on an ephemeral loopback port, not yet accepting: {@link #forwardTo} starts that.
     *
     * @param roundTrip the delay a request and its answer add together, 0 to {@link #ROUND_TRIP_MAX}
     */
    public static DelayProxy bind(Duration roundTrip) {
        requireRoundTrip(roundTrip);
        try {
            ServerSocket listener = new ServerSocket(0, ACCEPT_BACKLOG, InetAddress.getByName(HOST));
            return new DelayProxy(listener, roundTrip);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on an ephemeral port of " + HOST, e);
        }
    }

    /** {@link #bind} and {@link #forwardTo} in one: a proxy to {@code target}, accepting at once. */
    public static DelayProxy start(InetSocketAddress target, Duration roundTrip) {
        DelayProxy proxy = bind(roundTrip);
        proxy.forwardTo(target);
        return proxy;
    }

    /** Starts accepting connections, each forwarded to {@code target}; once only. */
    public void forwardTo(InetSocketAddress target) {
        Objects.requireNonNull(target, "target");
        if (!forwarding.compareAndSet(false, true)) {
            throw new IllegalStateException("the proxy at " + address() + " already forwards");
        }
        threads.execute(() -> acceptUntilClosed(target));
    }

    /** The port clients connect to. */
    public int port() {
        return listener.getLocalPort();
    }

    /** {@code 127.0.0.1:<port>}: where clients connect. */
    public String address() {
        return HOST + ":" + port();
    }

    /** Half the round-trip time: how much later data arrives than it was sent, in either direction. */
    public Duration oneWayDelay() {
        return oneWay;
    }

    /** Stops accepting and closes every connection, both sides; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            listener.close();
        } catch (IOException e) {
            LOG.debug("closing the listener at {} failed", address(), e);
        }
        connections.forEach(ProxiedConnection::close);
        threads.shutdownNow();
    }

    @Override
    public String toString() {
        return "DelayProxy[" + address() + ", one way " + oneWay + "]";
    }

    private void acceptUntilClosed(InetSocketAddress target) {
        while (!closed.get()) {
            try {
                connect(listener.accept(), target);
            } catch (SocketException e) {
                if (!closed.get()) {
                    LOG.warn("{} stopped accepting", this, e);
                }
                return;
            } catch (IOException e) {
                LOG.warn("{} could not accept a connection", this, e);
            }
        }
    }

    /** Opens the upstream side for an accepted client; a target that refuses it gets the client closed. */
    private void connect(Socket client, InetSocketAddress target) {
        Socket upstream = new Socket();
        try {
            upstream.connect(target);
        } catch (IOException e) {
            LOG.warn("{} cannot reach {} ({}); closing the client", this, target, e.toString());
            ProxiedConnection.closeQuietly(client);
            ProxiedConnection.closeQuietly(upstream);
            return;
        }
        ProxiedConnection connection = new ProxiedConnection(client, upstream, oneWay, connections::remove);
        connections.add(connection);
        if (closed.get()) {
            connection.close();
            return;
        }
        connection.start(threads);
    }

    private static void requireRoundTrip(Duration roundTrip) {
        Objects.requireNonNull(roundTrip, "roundTrip");
        if (roundTrip.isNegative() || roundTrip.compareTo(ROUND_TRIP_MAX) > 0) {
            throw new IllegalArgumentException("a round-trip time must be within 0.." + ROUND_TRIP_MAX + ", was "
                    + roundTrip);
        }
    }
}
