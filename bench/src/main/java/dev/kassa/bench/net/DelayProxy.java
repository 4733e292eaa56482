package dev.kassa.bench.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
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
 * latency but no per-connection limit on throughput (beyond {@link #BUFFERED_BYTES_MAX} in flight per
 * direction; a direction that has that much waiting is not read until half of it is delivered,
 * pushing back on the sender as a full TCP window would). An end of stream is forwarded as a half
 * close after the same delay; a connection is closed on both sides once both directions ended, or at
 * once when either side fails. Connecting itself is not delayed: clients that pool their connections
 * see the delay on every exchange, as over a network, and the handshake's own round trip is left out.
 *
 * <pre>{@code
 * try (DelayProxy proxy = DelayProxy.start(new InetSocketAddress("127.0.0.1", 5432), Duration.ofMillis(1))) {
 *     String jdbcUrl = "jdbc:postgresql://" + proxy.address() + "/kassa";
 * }
 * }</pre>
 *
 * <p>The proxy runs on two threads whatever the number of connections, so that the simulated network
 * costs the machine little CPU beside the systems under test (a real network costs them none): a
 * reader waits on a {@link Selector} for every connection and queues what it reads, a deliverer
 * writes each chunk when due. The delay is the same for every chunk, so read order is due order and
 * one FIFO queue serves all connections; the deliverer sleeps until its head is due, with the
 * nanosecond resolution a selector's millisecond timeout would not give. A destination that does not
 * take a chunk at once (its socket buffer full) keeps the rest of that direction waiting, in order,
 * retried every {@link #STALLED_RETRY_NANOS}.
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
    /** Bytes in flight in one direction: 4 MiB each half round trip is 8 GB/s at 1 ms, 80 MB/s at 100 ms. */
    static final int BUFFERED_BYTES_MAX = 4 * 1024 * 1024;
    /** Connections not yet accepted; more wait in the kernel's queue or are refused, as by any server. */
    private static final int ACCEPT_BACKLOG = 128;
    private static final int READ_SIZE_MAX = 64 * 1024;
    private static final long STALLED_RETRY_NANOS = 100_000;

    private final ServerSocketChannel listener;
    private final Selector selector;
    private final Duration oneWay;
    private final long oneWayNanos;
    private final String name;
    /** Chunks read and not yet delivered, in due order: written by the reader, taken by the deliverer. */
    private final Queue<Chunk> due = new ConcurrentLinkedQueue<>();
    /** Work for the reader thread from others (resuming a paused direction). */
    private final Queue<Runnable> readerTasks = new ConcurrentLinkedQueue<>();
    /** Directions whose destination did not take all that was due; the deliverer's own. */
    private final Set<Direction> stalled = ConcurrentHashMap.newKeySet();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean forwarding = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_SIZE_MAX);
    private volatile boolean delivererIdle;
    private volatile Thread deliverer;
    private volatile Thread reader;

    private DelayProxy(ServerSocketChannel listener, Selector selector, Duration roundTrip, int port) {
        this.listener = listener;
        this.selector = selector;
        this.oneWay = roundTrip.dividedBy(2);
        this.oneWayNanos = oneWay.toNanos();
        this.name = "delay-proxy-" + port;
    }

    /**
     * Listens on an ephemeral loopback port, not yet accepting: {@link #forwardTo} starts that.
     *
     * @param roundTrip the delay a request and its answer add together, 0 to {@link #ROUND_TRIP_MAX}
     */
    public static DelayProxy bind(Duration roundTrip) {
        requireRoundTrip(roundTrip);
        ServerSocketChannel listener = null;
        try {
            listener = ServerSocketChannel.open();
            listener.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0), ACCEPT_BACKLOG);
            Selector selector = Selector.open();
            return new DelayProxy(listener, selector, roundTrip, listener.socket().getLocalPort());
        } catch (IOException e) {
            closeQuietly(listener);
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
        try {
            listener.configureBlocking(false);
            listener.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            throw new UncheckedIOException(this + " cannot accept connections", e);
        }
        deliverer = daemon(name + "-deliver", this::deliverUntilClosed);
        reader = daemon(name + "-read", () -> readUntilClosed(target));
        deliverer.start();
        reader.start();
    }

    /** The port clients connect to. */
    public int port() {
        return listener.socket().getLocalPort();
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
        closeQuietly(listener);
        connections.forEach(Connection::close);
        selector.wakeup();
        Thread waiting = deliverer;
        if (waiting != null) {
            LockSupport.unpark(waiting);
        } else {
            closeQuietly(selector);
        }
    }

    @Override
    public String toString() {
        return "DelayProxy[" + address() + ", one way " + oneWay + "]";
    }

    // ---- the reader: accepts, reads every connection, queues chunks ----

    private void readUntilClosed(InetSocketAddress target) {
        try {
            while (!closed.get()) {
                selector.select();
                for (Runnable task; (task = readerTasks.poll()) != null; ) {
                    task.run();
                }
                Set<SelectionKey> ready = selector.selectedKeys();
                for (SelectionKey key : ready) {
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        accept(target);
                    } else if (key.isReadable()) {
                        read(key, (Direction) key.attachment());
                    }
                }
                ready.clear();
            }
        } catch (IOException | ClosedSelectorException e) {
            if (!closed.get()) {
                LOG.warn("{} stopped reading", this, e);
            }
        } finally {
            close();
            closeQuietly(selector);
        }
    }

    private void accept(InetSocketAddress target) {
        SocketChannel client;
        try {
            client = listener.accept();
        } catch (IOException e) {
            if (!closed.get()) {
                LOG.warn("{} could not accept a connection", this, e);
            }
            return;
        }
        if (client == null) {
            return;
        }
        SocketChannel upstream = null;
        try {
            upstream = SocketChannel.open(target);
        } catch (IOException e) {
            LOG.warn("{} cannot reach {} ({}); closing the client", this, target, e.toString());
            closeQuietly(client);
            return;
        }
        Connection connection = new Connection(client, upstream);
        connections.add(connection);
        try {
            for (SocketChannel channel : new SocketChannel[] {client, upstream}) {
                // The proxy's own sockets must not hold small writes back (Nagle): the delay is its only one.
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.configureBlocking(false);
            }
            connection.toUpstream.key = client.register(selector, SelectionKey.OP_READ, connection.toUpstream);
            connection.toClient.key = upstream.register(selector, SelectionKey.OP_READ, connection.toClient);
        } catch (IOException e) {
            LOG.debug("cannot start forwarding {}", connection, e);
            connection.close();
        }
        if (closed.get()) {
            connection.close();
        }
    }

    private void read(SelectionKey key, Direction direction) {
        int length;
        try {
            readBuffer.clear();
            length = direction.from.read(readBuffer);
        } catch (IOException e) {
            LOG.debug("{} failed reading; closing both sides", direction.connection, e);
            direction.connection.close();
            return;
        }
        if (length == 0) {
            return;
        }
        if (length < 0) {
            key.interestOps(0);
            queue(new Chunk(System.nanoTime() + oneWayNanos, direction, null));
            return;
        }
        byte[] bytes = new byte[length];
        readBuffer.flip().get(bytes);
        if (direction.inFlight.addAndGet(length) >= BUFFERED_BYTES_MAX) {
            direction.readPaused = true;
            key.interestOps(0);
        }
        queue(new Chunk(System.nanoTime() + oneWayNanos, direction, bytes));
    }

    private void queue(Chunk chunk) {
        due.add(chunk);
        if (delivererIdle) {
            LockSupport.unpark(deliverer);
        }
    }

    // ---- the deliverer: writes each chunk when due ----

    private void deliverUntilClosed() {
        try {
            while (!closed.get()) {
                Chunk head = due.peek();
                long waitNanos = head == null ? Long.MAX_VALUE : head.dueNanos - System.nanoTime();
                if (waitNanos <= 0) {
                    due.poll();
                    deliver(head);
                    continue;
                }
                if (!stalled.isEmpty()) {
                    retryStalled();
                    waitNanos = Math.min(waitNanos, STALLED_RETRY_NANOS);
                }
                if (waitNanos == Long.MAX_VALUE) {
                    delivererIdle = true;
                    if (due.isEmpty() && !closed.get()) {
                        LockSupport.park(this);
                    }
                    delivererIdle = false;
                } else {
                    LockSupport.parkNanos(this, waitNanos);
                }
            }
        } finally {
            close();
        }
    }

    private void deliver(Chunk chunk) {
        Direction direction = chunk.direction;
        if (direction.connection.closed.get()) {
            return;
        }
        if (chunk.bytes == null) {
            direction.endQueued = true;
        } else {
            direction.pending.add(ByteBuffer.wrap(chunk.bytes));
        }
        if (direction.pending.size() == 1 || chunk.bytes == null) {
            flush(direction);
        }
    }

    private void retryStalled() {
        for (Direction direction : stalled) {
            flush(direction);
        }
    }

    /** Writes what the direction has due, as far as its destination takes it; then its end, if due. */
    private void flush(Direction direction) {
        try {
            long written = 0;
            for (ByteBuffer buffer; (buffer = direction.pending.peek()) != null; direction.pending.poll()) {
                written += direction.to.write(buffer);
                if (buffer.hasRemaining()) {
                    break;
                }
            }
            released(direction, written);
            if (!direction.pending.isEmpty()) {
                stalled.add(direction);
                return;
            }
            stalled.remove(direction);
            if (direction.endQueued) {
                direction.to.shutdownOutput();
                direction.connection.directionEnded();
            }
        } catch (IOException e) {
            stalled.remove(direction);
            LOG.debug("{} failed writing; closing both sides", direction.connection, e);
            direction.connection.close();
        }
    }

    /** Counts bytes delivered, and has the reader resume a paused direction once half its buffer is free. */
    private void released(Direction direction, long written) {
        if (written == 0) {
            return;
        }
        long left = direction.inFlight.addAndGet(-written);
        if (direction.readPaused && left < BUFFERED_BYTES_MAX / 2) {
            direction.readPaused = false;
            readerTasks.add(() -> {
                SelectionKey key = direction.key;
                if (key != null && key.isValid() && !direction.connection.closed.get()) {
                    key.interestOps(SelectionKey.OP_READ);
                }
            });
            selector.wakeup();
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void requireRoundTrip(Duration roundTrip) {
        Objects.requireNonNull(roundTrip, "roundTrip");
        if (roundTrip.isNegative() || roundTrip.compareTo(ROUND_TRIP_MAX) > 0) {
            throw new IllegalArgumentException("a round-trip time must be within 0.." + ROUND_TRIP_MAX + ", was "
                    + roundTrip);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("closing {} failed", closeable, e);
        }
    }

    /** Bytes read at one time, due at {@code dueNanos} ({@link System#nanoTime()}); no bytes: the end of stream. */
    private record Chunk(long dueNanos, Direction direction, byte[] bytes) {
    }

    /** One way of a connection: what is read from {@code from} is written to {@code to}. */
    private static final class Direction {

        final Connection connection;
        final SocketChannel from;
        final SocketChannel to;
        /** Read and not yet written: the reader adds, the deliverer subtracts. */
        final AtomicLong inFlight = new AtomicLong();
        /** Due and not yet taken by the destination; the deliverer's own. */
        final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
        volatile boolean readPaused;
        /** The end of stream is due: sent as a half close once {@link #pending} is written; the deliverer's own. */
        boolean endQueued;
        volatile SelectionKey key;

        Direction(Connection connection, SocketChannel from, SocketChannel to) {
            this.connection = connection;
            this.from = from;
            this.to = to;
        }
    }

    /** A client's connection and the upstream one opened for it; closed once both directions ended. */
    private final class Connection {

        final SocketChannel client;
        final SocketChannel upstream;
        final Direction toUpstream;
        final Direction toClient;
        final AtomicBoolean closed = new AtomicBoolean();
        private final AtomicInteger openDirections =
                new AtomicInteger(2);

        Connection(SocketChannel client, SocketChannel upstream) {
            this.client = client;
            this.upstream = upstream;
            this.toUpstream = new Direction(this, client, upstream);
            this.toClient = new Direction(this, upstream, client);
        }

        void directionEnded() {
            if (openDirections.decrementAndGet() == 0) {
                close();
            }
        }

        /** Closes both sockets; idempotent. */
        void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            closeQuietly(client);
            closeQuietly(upstream);
            connections.remove(this);
        }

        @Override
        public String toString() {
            return "connection " + client.socket().getRemoteSocketAddress() + " -> "
                    + upstream.socket().getRemoteSocketAddress() + " of " + DelayProxy.this;
        }
    }
}
