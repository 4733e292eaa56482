package dev.kassa.api.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

/**
 * The API's defence against slow clients (docs/api.md): a connection silent for the idle timeout is
 * closed (set here on every connector, as Javalin creates its connector when it starts), and so is
 * one whose request line and headers are not all in within a deadline of their first byte, however
 * slowly they trickle: the idle timeout restarts with every byte, so without the deadline a client
 * sending a header byte every few seconds (slowloris) holds a connection for hours, and a few
 * thousand such clients hold every one the server accepts. A body trickled in is refused by Jetty's
 * minimum request data rate ({@code HttpConfiguration}).
 *
 * <p>Every {@code sweep} it looks at each HTTP/1.1 connection's parser: one in the middle of a
 * request's headers is remembered with the time it was first seen there (and the number of requests
 * the connection had read, so the next request on it starts afresh), and closed once that is
 * {@code timeout} ago. The deadline is kept to within one sweep. Jetty's parser state is read from
 * this thread without a lock; a stale read only delays a close by a sweep.
 */
final class SlowClients extends AbstractLifeCycle implements Runnable {

    private record Started(long messagesIn, long nanos) {
    }

    private final Server server;
    private final Duration idleTimeout;
    private final long timeoutNanos;
    private final Duration sweep;
    private final Map<EndPoint, Started> inHeaders = new ConcurrentHashMap<>();
    private final Counter closed;
    private ScheduledExecutorService scheduler;

    SlowClients(Server server, Duration idleTimeout, Duration timeout, MeterRegistry metrics) {
        this.server = Objects.requireNonNull(server, "server");
        this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
        this.timeoutNanos = timeout.toNanos();
        this.sweep = Duration.ofMillis(Math.max(100, timeout.toMillis() / 10));
        this.closed = Counter.builder("kassa.api.header.deadline.closed")
                .description("connections closed because their request line and headers did not arrive within the deadline")
                .register(metrics);
    }

    @Override
    protected void doStart() {
        for (Connector connector : server.getConnectors()) {
            if (connector instanceof AbstractConnector network) {
                network.setIdleTimeout(idleTimeout.toMillis());
            }
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "kassa-api-header-deadline");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this, sweep.toMillis(), sweep.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        scheduler.shutdownNow();
        inHeaders.clear();
    }

    @Override
    public void run() {
        long now = System.nanoTime();
        Set<EndPoint> seen = new HashSet<>();
        for (Connector connector : server.getConnectors()) {
            for (EndPoint endPoint : connector.getConnectedEndPoints()) {
                if (endPoint.getConnection() instanceof HttpConnection http && readingHeaders(http)) {
                    seen.add(endPoint);
                    long request = http.getMessagesIn();
                    Started started = inHeaders.compute(endPoint, (key, earlier) ->
                            earlier != null && earlier.messagesIn() == request ? earlier : new Started(request, now));
                    if (now - started.nanos() >= timeoutNanos) {
                        inHeaders.remove(endPoint);
                        closed.increment();
                        endPoint.close(new TimeoutException("request headers not complete within "
                                + Duration.ofNanos(timeoutNanos)));
                    }
                }
            }
        }
        inHeaders.keySet().retainAll(seen);
    }

    /** Whether the connection has begun a request whose line and headers are not all in yet. */
    private static boolean readingHeaders(HttpConnection http) {
        return !http.getParser().isStart() && http.getParser().inHeaderState();
    }
}
