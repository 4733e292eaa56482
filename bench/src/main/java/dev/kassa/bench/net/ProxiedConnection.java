package dev.kassa.bench.net;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's connection through a {@link DelayProxy} and the upstream connection opened for it, with
 * a {@link DelayedPipe} each way. Closed on both sides once both directions saw their end of stream,
 * or at once when either side fails or the proxy closes.
 */
final class ProxiedConnection {

    private static final Logger LOG = LoggerFactory.getLogger(ProxiedConnection.class);

    private final Socket client;
    private final Socket upstream;
    private final List<DelayedPipe> pipes;
    private final Consumer<ProxiedConnection> onClosed;
    private final AtomicInteger openDirections = new AtomicInteger(2);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<Future<?>> tasks = new CopyOnWriteArrayList<>();

    ProxiedConnection(Socket client, Socket upstream, Duration oneWay, Consumer<ProxiedConnection> onClosed) {
        this.client = client;
        this.upstream = upstream;
        this.onClosed = onClosed;
        this.pipes = List.of(new DelayedPipe(client, upstream, oneWay), new DelayedPipe(upstream, client, oneWay));
    }

    /** Starts a reader and a writer for each direction on {@code threads}. */
    void start(ExecutorService threads) {
        try {
            // The proxy's own sockets must not hold small writes back (Nagle): the delay is its only one.
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
            for (DelayedPipe pipe : pipes) {
                tasks.add(threads.submit(() -> guarded(pipe::read)));
                tasks.add(threads.submit(() -> {
                    if (guarded(pipe::write) && openDirections.decrementAndGet() == 0) {
                        close();
                    }
                }));
            }
        } catch (IOException | RejectedExecutionException e) {
            LOG.debug("cannot start forwarding {}", this, e);
            close();
        }
        if (closed.get()) {
            tasks.forEach(task -> task.cancel(true));
        }
    }

    /** Closes both sockets and stops the pipes' threads; idempotent. */
    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeQuietly(client);
        closeQuietly(upstream);
        tasks.forEach(task -> task.cancel(true));
        onClosed.accept(this);
    }

    @Override
    public String toString() {
        return "ProxiedConnection[" + client.getRemoteSocketAddress() + " -> " + upstream.getRemoteSocketAddress()
                + "]";
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("closing {} failed", socket, e);
        }
    }

    /** Runs one side of a pipe; true when it ended normally, and the whole connection closed when not. */
    private boolean guarded(PipeStep step) {
        try {
            step.run();
            return true;
        } catch (IOException e) {
            if (!closed.get()) {
                LOG.debug("{} failed; closing both sides", this, e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
        return false;
    }

    @FunctionalInterface
    private interface PipeStep {
        void run() throws IOException, InterruptedException;
    }
}
