package dev.kassa.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Slow clients against the real HTTP server, over real sockets (docs/api.md, Slow clients): a
 * connection that trickles its headers is cut off at the header deadline although it never stays
 * silent long enough for the idle timeout; one that trickles its body is refused by the minimum data
 * rate; a silent one is closed at the idle timeout; and connections held by tricklers are freed, so
 * they cannot lock out everyone else.
 */
class SlowClientsTest {

    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(2);
    /** Far more than any deadline above: how long a test waits for the server to act before failing. */
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    /** Well under the idle timeout: a trickling client is never idle. */
    private static final long TRICKLE_MS = 250;
    private static final int CONNECTIONS_MAX = 8;

    private static StubbedApi api;
    private final ScheduledExecutorService trickle = Executors.newScheduledThreadPool(2);
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeAll
    static void startServer() {
        api = new StubbedApi(settings -> settings.httpIdleTimeout(IDLE_TIMEOUT).httpHeaderTimeout(HEADER_TIMEOUT)
                .httpMinRequestRate(1_024).httpConnectionsMax(CONNECTIONS_MAX));
    }

    @AfterAll
    static void stopServer() {
        api.close();
    }

    @AfterEach
    void closeSockets() throws IOException {
        trickle.shutdownNow();
        for (Socket socket : sockets) {
            socket.close();
        }
        assertThat(api.serviceCalls()).as("service calls").isEmpty();
    }

    @Test
    void headersTrickledInAreCutOffAtTheDeadlineThoughTheConnectionIsNeverIdle() throws IOException {
        Socket socket = connect();
        OutputStream out = socket.getOutputStream();
        out.write("GET /openapi.json HTTP/1.1\r\nHost: kassa\r\n".getBytes(StandardCharsets.US_ASCII));
        trickleHeaders(out);

        await().atMost(PATIENCE).until(() -> closedByServer(socket));
    }

    @Test
    void aBodyTrickledInIsRefusedBeforeAnyServiceSeesIt() throws IOException {
        Socket socket = connect();
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/accounts HTTP/1.1\r\nHost: kassa\r\nAuthorization: Bearer " + api.secretKey()
                + "\r\nIdempotency-Key: slow-body\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n{")
                .getBytes(StandardCharsets.US_ASCII));
        trickle.scheduleWithFixedDelay(() -> write(out, " "), TRICKLE_MS, TRICKLE_MS, TimeUnit.MILLISECONDS);

        socket.setSoTimeout((int) PATIENCE.toMillis());
        String answer = new String(socket.getInputStream().readNBytes(4_096), StandardCharsets.UTF_8);

        assertThat(answer).startsWith("HTTP/1.1 408 ").contains("\"code\":\"request_timeout\"");
        assertThat(closedByServer(socket)).as("closed after its answer").isTrue();
    }

    @Test
    void aSilentConnectionIsClosedAtTheIdleTimeout() throws IOException {
        Socket socket = connect();

        await().atMost(PATIENCE).until(() -> closedByServer(socket));
    }

    @Test
    void tricklersHoldingEveryConnectionAreCutOffSoOthersAreServedAgain() throws Exception {
        // Plan: hold every connection the server accepts with trickling headers. A normal request
        // then waits to be accepted; once the deadline cuts the tricklers off, it is answered.
        for (int i = 0; i < CONNECTIONS_MAX; i++) {
            Socket socket = connect();
            OutputStream out = socket.getOutputStream();
            out.write("GET /openapi.json HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
            trickleHeaders(out);
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(PATIENCE).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(api.baseUrl() + "/openapi.json")).timeout(PATIENCE).build();

        CompletableFuture<HttpResponse<String>> answer = client.sendAsync(health, HttpResponse.BodyHandlers.ofString());

        assertThat(answer.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        for (Socket socket : sockets) {
            await().atMost(PATIENCE).until(() -> closedByServer(socket));
        }
    }

    @Test
    void aClientThatSendsItsRequestAtOnceIsAnswered() throws IOException {
        // The control: the same server answers a request that arrives whole, on a raw socket too.
        Socket socket = connect();
        socket.getOutputStream().write("GET /openapi.json HTTP/1.1\r\nHost: kassa\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        byte[] head = socket.getInputStream().readNBytes(12);

        assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", api.port());
        sockets.add(socket);
        return socket;
    }

    /** Sends one more header line every {@link #TRICKLE_MS}, never ending the headers. */
    private void trickleHeaders(OutputStream out) {
        trickle.scheduleWithFixedDelay(() -> write(out, "X-Slow: a\r\n"), TRICKLE_MS, TRICKLE_MS, TimeUnit.MILLISECONDS);
    }

    private static void write(OutputStream out, String text) {
        try {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            // The server closed the connection: what the test waits for; reading tells it.
        }
    }

    /**
     * Whether the server has closed the connection: reading reaches its end (after any error response
     * it sent), or the connection was reset. A read that only times out means it is still open.
     */
    private static boolean closedByServer(Socket socket) throws IOException {
        socket.setSoTimeout(50);
        InputStream in = socket.getInputStream();
        try {
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
