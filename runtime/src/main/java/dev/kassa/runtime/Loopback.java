package dev.kassa.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.Set;

/** The loopback address every embedded component binds to, and free ports on it. */
final class Loopback {

    /** Numeric, so no client ever resolves {@code localhost} to an IPv6 address nothing listens on. */
    static final String HOST = "127.0.0.1";

    /** Bounds the search for a port that is neither in use nor already handed to another component. */
    private static final int FREE_PORT_ATTEMPTS_MAX = 50;

    private Loopback() {
    }

    /**
     * A port that was free on the loopback address a moment ago and is not in {@code excluded}.
     * Another process may still take it before the component binds it; the component's start then
     * fails with a clear bind error rather than silently using a different port.
     */
    static int freePort(Set<Integer> excluded) {
        for (int attempt = 0; attempt < FREE_PORT_ATTEMPTS_MAX; attempt++) {
            int port = bindEphemeralPort();
            if (!excluded.contains(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port found in " + FREE_PORT_ATTEMPTS_MAX
                + " attempts, excluding " + excluded);
    }

    /**
     * Fails fast when {@code port} is taken: Postgres' start helper would otherwise wait its whole
     * startup timeout, or, worse, report ready while talking to someone else's server on that port.
     */
    static void requireFree(int port, String component) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(address(), port));
        } catch (IOException e) {
            throw new EmbeddedRuntimeException(component + " cannot listen on " + HOST + ":" + port
                    + ", the port is in use (" + e.getMessage() + "); free it or configure another port", e);
        }
    }

    private static int bindEphemeralPort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(address(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind an ephemeral port on " + HOST, e);
        }
    }

    static InetAddress address() {
        try {
            return InetAddress.getByName(HOST);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a numeric address always parses: " + HOST, e);
        }
    }
}
