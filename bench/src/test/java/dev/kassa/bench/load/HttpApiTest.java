package dev.kassa.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalin.Javalin;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The load generator's client against a real HTTP server on loopback: what it sends, what it reads
 * back on success and on an error status, that sequential calls reuse one kept-alive connection, that
 * a silent server is a timeout, and that a POST whose connection is dropped is not sent again behind
 * the bench's back (every attempt is one the bench counts).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpApiTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int GATHERED = 16;

    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CyclicBarrier gathered = new CyclicBarrier(GATHERED);
    private Javalin server;
    private HttpApi api;

    @BeforeEach
    void startServer() {
        server = Javalin.create(config -> {
            config.jetty.threadPool = new QueuedThreadPool(4 * GATHERED);
            config.routes.post("/v1/payments", ctx -> {
                clientPorts.add(ctx.req().getRemotePort());
                seen.add(ctx.header("Authorization") + "|" + ctx.header("Idempotency-Key") + "|"
                        + ctx.header("Content-Type") + "|" + ctx.body());
                ctx.header("Idempotent-Replayed", "true").status(201).result("{\"id\":\"pay_1\"}");
            });
            config.routes.post("/v1/declined", ctx -> ctx.status(402).result(ctx.body().isEmpty() ? "" : "{\"error\":{\"code\":\"fraud_blocked\",\"payment\":{\"id\":\"pay_2\"}}}"));
            config.routes.post("/v1/gathered", ctx -> {
                clientPorts.add(ctx.req().getRemotePort());
                ctx.body();
                gathered.await(20, TimeUnit.SECONDS);
                ctx.status(200).result("{}");
            });
            config.routes.post("/v1/anonymous", ctx -> {
                seen.add(ctx.header("Authorization") + "|" + ctx.header("Idempotency-Key"));
                ctx.status(200).result("");
            });
        }).start(InetAddress.getLoopbackAddress().getHostAddress(), 0);
        api = new HttpApi("http://127.0.0.1:" + server.port() + "/", executor);
    }

    @AfterEach
    void stop() {
        api.close();
        server.stop();
        executor.shutdownNow();
    }

    @Test
    void sendsTheCallAndReadsTheAnswer() throws IOException {
        HttpApi.Answer answer = api.send(api.post("/v1/payments", "sk_test", "key-1", "{\"amount\":1250}", TIMEOUT));

        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.body()).isEqualTo("{\"id\":\"pay_1\"}");
        assertThat(answer.replayed()).isTrue();
        assertThat(answer.paymentId()).isEqualTo("pay_1");
        assertThat(seen).containsExactly("Bearer sk_test|key-1|application/json|{\"amount\":1250}");
    }

    @Test
    void readsTheBodyOfAnErrorStatus() throws IOException {
        HttpApi.Answer answer = api.send(api.post("/v1/declined", "sk_test", "key-2", "{}", TIMEOUT));

        assertThat(answer.status()).isEqualTo(402);
        assertThat(answer.replayed()).isFalse();
        assertThat(answer.errorCode()).isEqualTo("fraud_blocked");
        assertThat(answer.paymentId()).isEqualTo("pay_2");
    }

    @Test
    void leavesOutTheHeadersItIsNotGiven() throws IOException {
        HttpApi.Answer answer = api.send(api.post("/v1/anonymous", null, null, "{}", TIMEOUT));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEmpty();
        assertThat(seen).containsExactly("null|null");
    }

    @Test
    void sequentialCallsReuseOneConnection() throws IOException {
        for (int i = 0; i < 20; i++) {
            assertThat(api.send(api.post("/v1/payments", "sk_test", "key-" + i, "{}", TIMEOUT)).status()).isEqualTo(201);
            assertThat(api.send(api.post("/v1/declined", "sk_test", "declined-" + i, "{}", TIMEOUT)).status()).isEqualTo(402);
        }

        assertThat(seen).hasSize(20);
        assertThat(clientPorts).hasSize(1);
    }

    @Test
    void idleConnectionsAreKeptForEveryThread() throws Exception {
        // Two rounds of 16 calls in flight at once (the server answers none before all 16 arrived): after the
        // first round 16 connections are idle at once, and the second round takes them again. A pool
        // keeping fewer idle connections (the JDK's keeps 5) would open new ones, and an open-loop run,
        // whose threads wait idle between operations, would open connections all along.
        for (int round = 0; round < 2; round++) {
            List<Future<Integer>> calls = new ArrayList<>();
            for (int t = 0; t < GATHERED; t++) {
                String key = round + "-" + t;
                calls.add(executor.submit(() -> api.send(api.post("/v1/gathered", "sk", key, "{}", TIMEOUT)).status()));
            }
            for (Future<Integer> call : calls) {
                assertThat(call.get(30, TimeUnit.SECONDS)).isEqualTo(200);
            }
        }

        assertThat(clientPorts).hasSize(GATHERED);
    }

    @Test
    void asynchronousCallsAnswerTheSame() throws Exception {
        HttpApi.Answer answer = api.sendAsync(api.post("/v1/payments", "sk_test", "key-3", "{}", TIMEOUT))
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.replayed()).isTrue();
        assertThat(seen).containsExactly("Bearer sk_test|key-3|application/json|{}");
    }

    @Test
    void aSilentServerIsATimeout() throws Exception {
        try (SilentServer silent = new SilentServer(false);
             HttpApi client = new HttpApi("http://127.0.0.1:" + silent.port(), executor)) {

            assertThatThrownBy(() -> client.send(client.post("/v1/payments", "sk", "k", "{}", Duration.ofMillis(300))))
                    .isInstanceOf(HttpTimeoutException.class);
        }
    }

    @Test
    void aDroppedConnectionIsNotSentAgain() throws Exception {
        try (SilentServer dropping = new SilentServer(true);
             HttpApi client = new HttpApi("http://127.0.0.1:" + dropping.port(), executor)) {

            assertThatThrownBy(() -> client.send(client.post("/v1/payments", "sk", "k", "{}", TIMEOUT)))
                    .isInstanceOf(IOException.class)
                    .isNotInstanceOf(HttpTimeoutException.class);
            dropping.awaitFirstRequest();
            assertThat(dropping.connections()).isEqualTo(1);
        }
    }

    /** Accepts connections and reads requests; answers nothing, and either holds or drops each connection once read. */
    private static final class SilentServer implements AutoCloseable {

        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final AtomicInteger connections = new AtomicInteger();
        private final CountDownLatch firstRequest = new CountDownLatch(1);
        private final List<Socket> held = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        SilentServer(boolean drop) throws IOException {
            acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket accepted = socket.accept();
                        connections.incrementAndGet();
                        readRequestHead(accepted.getInputStream());
                        firstRequest.countDown();
                        if (drop) {
                            accepted.close();
                        } else {
                            held.add(accepted);
                        }
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "silent-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private static void readRequestHead(InputStream in) throws IOException {
            int matched = 0;
            byte[] end = {'\r', '\n', '\r', '\n'};
            while (matched < end.length) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            }
        }

        int port() {
            return socket.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        void awaitFirstRequest() throws InterruptedException {
            assertThat(firstRequest.await(10, TimeUnit.SECONDS)).isTrue();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
