package dev.kassa.bench.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The proxy against a real echo server on loopback: a round trip takes at least the configured time,
 * bytes arrive intact and in order, pipelined chunks share one delay instead of adding theirs up, and
 * ends of stream and closes reach the other side. Upper bounds on time are generous: only the delay's
 * lower bound is the proxy's function.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DelayProxyTest {

    private static final Duration RTT = Duration.ofMillis(100);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(20);

    private EchoServer echo;

    @BeforeEach
    void startEcho() throws IOException {
        echo = new EchoServer();
    }

    @AfterEach
    void stopEcho() throws IOException {
        echo.close();
    }

    @Test
    void aRoundTripTakesAtLeastTheRoundTripTime() throws IOException {
        try (DelayProxy proxy = DelayProxy.start(echo.address(), RTT); Socket socket = connect(proxy)) {
            long start = System.nanoTime();
            socket.getOutputStream().write(42);
            int answer = socket.getInputStream().read();
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

            assertThat(answer).isEqualTo(42);
            assertThat(elapsed).isGreaterThanOrEqualTo(RTT).isLessThan(RTT.multipliedBy(20));
            assertThat(proxy.oneWayDelay()).isEqualTo(Duration.ofMillis(50));
        }
    }

    @Test
    void bytesArriveIntactAndInOrder() throws Exception {
        byte[] sent = new byte[3 * DelayProxy.BUFFERED_BYTES_MAX + 12_345];
        new Random(7).nextBytes(sent);
        try (DelayProxy proxy = DelayProxy.start(echo.address(), Duration.ofMillis(2));
             Socket socket = connect(proxy)) {
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> writeInPieces(socket, sent));

            byte[] received = socket.getInputStream().readNBytes(sent.length);

            writing.get(SOCKET_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(received).isEqualTo(sent);
        }
    }

    @Test
    void pipelinedChunksShareOneDelayInsteadOfAddingTheirsUp() throws IOException {
        int chunks = 50;
        try (DelayProxy proxy = DelayProxy.start(echo.address(), RTT); Socket socket = connect(proxy)) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            long start = System.nanoTime();
            for (int chunk = 0; chunk < chunks; chunk++) {
                out.write(new byte[] {(byte) chunk, (byte) chunk});
            }
            byte[] received = socket.getInputStream().readNBytes(2 * chunks);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

            for (int chunk = 0; chunk < chunks; chunk++) {
                assertThat(received[2 * chunk]).isEqualTo((byte) chunk);
            }
            // Serialized, 50 chunks would take 50 round trips (5 s); pipelined, about one.
            assertThat(elapsed).isGreaterThanOrEqualTo(RTT).isLessThan(RTT.multipliedBy(chunks).dividedBy(4));
        }
    }

    @Test
    void manyConnectionsShareTheProxysTwoThreads() throws IOException {
        List<Socket> sockets = new ArrayList<>();
        try (DelayProxy proxy = DelayProxy.start(echo.address(), Duration.ofMillis(2))) {
            for (int i = 0; i < 50; i++) {
                Socket socket = connect(proxy);
                sockets.add(socket);
                socket.getOutputStream().write(i);
            }
            for (int i = 0; i < sockets.size(); i++) {
                assertThat(sockets.get(i).getInputStream().read()).isEqualTo(i);
            }

            String prefix = "delay-proxy-" + proxy.port();
            assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                    .filter(name -> name.startsWith(prefix))).hasSize(2);
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    @Test
    void anEndOfStreamReachesTheOtherSideAfterTheData() throws IOException {
        try (DelayProxy proxy = DelayProxy.start(echo.address(), RTT); Socket socket = connect(proxy)) {
            socket.getOutputStream().write(new byte[] {1, 2, 3});
            socket.shutdownOutput();

            // The echo server answers everything, then closes on the forwarded end of stream.
            assertThat(socket.getInputStream().readAllBytes()).containsExactly(1, 2, 3);
        }
    }

    @Test
    void closingTheProxyClosesItsConnections() throws IOException {
        DelayProxy proxy = DelayProxy.start(echo.address(), RTT);
        try (Socket socket = connect(proxy)) {
            socket.getOutputStream().write(1);
            assertThat(socket.getInputStream().read()).isEqualTo(1);

            proxy.close();

            assertThat(readUntilClosed(socket.getInputStream())).isTrue();
            await().atMost(SOCKET_TIMEOUT).untilAsserted(() -> assertThat(echo.openConnections()).isZero());
        }
    }

    @Test
    void aClientOfAnUnreachableTargetIsClosed() throws IOException {
        InetSocketAddress nobody = echo.address();
        echo.close();
        try (DelayProxy proxy = DelayProxy.start(nobody, RTT); Socket socket = connect(proxy)) {
            assertThat(readUntilClosed(socket.getInputStream())).isTrue();
        }
    }

    @Test
    void aBoundProxyForwardsConnectionsMadeBeforeItsTargetWasKnown() throws Exception {
        try (DelayProxy proxy = DelayProxy.bind(RTT); Socket socket = connect(proxy)) {
            socket.getOutputStream().write(9);
            CompletableFuture<Integer> answer = CompletableFuture.supplyAsync(() -> readOne(socket));

            proxy.forwardTo(echo.address());

            assertThat(answer.get(SOCKET_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(9);
            assertThatThrownBy(() -> proxy.forwardTo(echo.address())).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aRoundTripTimeOutOfBoundsIsRefused() {
        assertThatThrownBy(() -> DelayProxy.bind(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DelayProxy.bind(DelayProxy.ROUND_TRIP_MAX.plusMillis(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Socket connect(DelayProxy proxy) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        socket.setSoTimeout((int) SOCKET_TIMEOUT.toMillis());
        return socket;
    }

    /** In pieces of varied size, so the proxy sees chunks of every length. */
    private static void writeInPieces(Socket socket, byte[] bytes) {
        try {
            OutputStream out = socket.getOutputStream();
            for (int offset = 0, piece = 1; offset < bytes.length; offset += piece, piece = piece * 3 % 70_001) {
                out.write(bytes, offset, Math.min(piece, bytes.length - offset));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int readOne(Socket socket) {
        try {
            return socket.getInputStream().read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True once the stream ends or is reset; a read timeout fails the test. */
    private static boolean readUntilClosed(InputStream in) throws IOException {
        try {
            while (in.read() >= 0) {
                // Data still in flight when the other side closed.
            }
            return true;
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException reset) {
            return true;
        }
    }

    /** Echoes every connection's bytes back until its end of stream, then closes it. */
    private static final class EchoServer implements AutoCloseable {

        private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final Set<Socket> open = ConcurrentHashMap.newKeySet();

        EchoServer() throws IOException {
            Thread acceptor = new Thread(this::acceptUntilClosed, "echo-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        }

        int openConnections() {
            return open.size();
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }

        private void acceptUntilClosed() {
            while (!listener.isClosed()) {
                try {
                    Socket socket = listener.accept();
                    open.add(socket);
                    Thread echoing = new Thread(() -> echo(socket), "echo");
                    echoing.setDaemon(true);
                    echoing.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void echo(Socket socket) {
            try (socket) {
                socket.getInputStream().transferTo(socket.getOutputStream());
            } catch (IOException e) {
                // The proxy closed the connection: nothing left to echo.
            } finally {
                open.remove(socket);
            }
        }
    }
}
