package dev.kassa.app.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kassa.model.Ids;
import dev.kassa.topology.dedupe.IdempotencyEntry;
import dev.kassa.topology.dedupe.IdempotencyKeyLookup;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP mapping of the state endpoint against a fake topology: each lookup answer becomes its
 * status, body and headers, and bad input a 4xx, never a 5xx. Requests go over a plain socket so the
 * path reaches the server byte for byte as written here. The real topology is {@code StateEndpointIT}'s.
 */
class StateServerTest {

    private static final String TOKEN = "state-test-admin-token";
    private static final String MERCHANT = Ids.next(Ids.MERCHANT);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The fake store: answers by the command key {@code merchant:key}; any other key is NotFound. */
    private final Map<String, IdempotencyKeyLookup> answers = new ConcurrentHashMap<>();
    private final List<String> lookedUp = new ArrayList<>();
    private volatile KafkaStreams.State state = KafkaStreams.State.RUNNING;
    private StateServer server;

    private final TopologyQueries fake = new TopologyQueries() {
        @Override
        public KafkaStreams.State state() {
            return state;
        }

        @Override
        public IdempotencyKeyLookup idempotencyKey(String merchantId, String idempotencyKey) {
            lookedUp.add(idempotencyKey);
            return answers.getOrDefault(merchantId + ":" + idempotencyKey, new IdempotencyKeyLookup.NotFound());
        }
    };

    @BeforeEach
    void start() {
        server = StateServer.start("127.0.0.1", 0, TOKEN);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void beforeTheTopologyIsHandedOverEveryLookupIsUnavailable() throws IOException {
        Answer lookup = get("/state/idempotency/" + MERCHANT + "/k", TOKEN);
        Answer health = get("/state/health", null);

        assertThat(lookup.status).isEqualTo(503);
        assertThat(lookup.body.at("/error/code").asText()).isEqualTo("state_unavailable");
        assertThat(lookup.headers).containsEntry("retry-after", "1");
        assertThat(health.status).isEqualTo(503);
        assertThat(health.body.path("state").asText()).isEqualTo("NOT_STARTED");
    }

    @Test
    void foundEntryIsAnsweredWithItsResourceAndThisInstance() throws IOException {
        server.serve(fake, "127.0.0.1:9999");
        answers.put(MERCHANT + ":a/b%c?d+e", new IdempotencyKeyLookup.Found(
                new IdempotencyEntry("pay_1", 1_700_000_000_999L, "fingerprint")));

        Answer found = get("/state/idempotency/" + MERCHANT + "/a%2Fb%25c%3Fd+e", TOKEN);

        assertThat(found.status).as(found.raw).isEqualTo(200);
        assertThat(found.body.path("object").asText()).isEqualTo("idempotency_key");
        assertThat(found.body.path("merchant").asText()).isEqualTo(MERCHANT);
        assertThat(found.body.path("idempotency_key").asText()).isEqualTo("a/b%c?d+e");
        assertThat(found.body.path("resource_id").asText()).isEqualTo("pay_1");
        assertThat(found.body.path("first_seen").asLong()).isEqualTo(1_700_000_000L);
        assertThat(found.body.path("instance").asText()).isEqualTo("127.0.0.1:9999");
        assertThat(found.body.path("request_fingerprint").asText()).isEqualTo("fingerprint");
        assertThat(found.headers.get("content-type")).startsWith("application/json");
    }

    @Test
    void keyOwnedHereButAbsentIsNotFound() throws IOException {
        server.serve(fake, "127.0.0.1:9999");

        Answer missing = get("/state/idempotency/" + MERCHANT + "/never-seen", TOKEN);
        Answer dots = get("/state/idempotency/" + MERCHANT + "/%2E%2E", TOKEN);

        assertThat(missing.status).isEqualTo(404);
        assertThat(missing.body.at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(missing.body.at("/error/code").asText()).isEqualTo("resource_missing");
        assertThat(missing.body.at("/error/param").asText()).isEqualTo("key");
        assertThat(dots.status).as(dots.raw).isEqualTo(404);
        assertThat(dots.body.at("/error/code").asText()).isEqualTo("resource_missing");
        assertThat(lookedUp).containsExactly("never-seen", "..");
    }

    @Test
    void keyOwnedElsewhereIsMisdirectedWithTheOwnersUrlNeverNotFound() throws IOException {
        server.serve(fake, "127.0.0.1:9999");
        answers.put(MERCHANT + ":x/y", new IdempotencyKeyLookup.OwnedElsewhere("10.0.0.7", 8081));

        Answer misdirected = get("/state/idempotency/" + MERCHANT + "/x%2fy", TOKEN);

        assertThat(misdirected.status).as(misdirected.raw).isEqualTo(421);
        assertThat(misdirected.body.at("/error/type").asText()).isEqualTo("state_error");
        assertThat(misdirected.body.at("/error/code").asText()).isEqualTo("key_owned_elsewhere");
        assertThat(misdirected.body.at("/error/owner").asText()).isEqualTo("http://10.0.0.7:8081");
        assertThat(misdirected.headers)
                .containsEntry("location", "http://10.0.0.7:8081/state/idempotency/" + MERCHANT + "/x%2Fy");
    }

    @Test
    void storeThatCannotAnswerIsUnavailableWithRetryAfter() throws IOException {
        server.serve(fake, "127.0.0.1:9999");
        answers.put(MERCHANT + ":k", new IdempotencyKeyLookup.Unavailable("rebalancing"));
        state = KafkaStreams.State.REBALANCING;

        Answer unavailable = get("/state/idempotency/" + MERCHANT + "/k", TOKEN);
        Answer health = get("/state/health", null);

        assertThat(unavailable.status).isEqualTo(503);
        assertThat(unavailable.body.at("/error/type").asText()).isEqualTo("state_error");
        assertThat(unavailable.body.at("/error/code").asText()).isEqualTo("state_unavailable");
        assertThat(unavailable.headers).containsEntry("retry-after", "1");
        assertThat(health.status).isEqualTo(503);
        assertThat(health.body.path("state").asText()).isEqualTo("REBALANCING");
    }

    @Test
    void runningTopologyIsHealthyWithoutAToken() throws IOException {
        server.serve(fake, "127.0.0.1:9999");

        Answer health = get("/state/health", null);

        assertThat(health.status).isEqualTo(200);
        assertThat(health.body.path("state").asText()).isEqualTo("RUNNING");
    }

    @Test
    void missingOrWrongTokenIsUnauthenticatedBeforeAnythingIsLookedUp() throws IOException {
        server.serve(fake, "127.0.0.1:9999");
        String path = "/state/idempotency/" + MERCHANT + "/k";

        for (String token : new String[] {null, "", TOKEN + "x", TOKEN.substring(1), "Basic " + TOKEN}) {
            Answer answer = token != null && token.startsWith("Basic ") ? getWithAuthorization(path, token)
                    : get(path, token);
            assertThat(answer.status).as(String.valueOf(token)).isEqualTo(401);
            assertThat(answer.body.at("/error/type").asText()).isEqualTo("authentication_error");
            assertThat(answer.body.at("/error/code").asText()).isEqualTo("unauthenticated");
        }
        assertThat(get("/state/idempotency/not-a-merchant/%20", null).status).isEqualTo(401);
        assertThat(lookedUp).isEmpty();
    }

    @Test
    void malformedInputIsAClientErrorNamingTheParameterNeverA5xx() throws IOException {
        server.serve(fake, "127.0.0.1:9999");

        assertParameterInvalid(get("/state/idempotency/mer_nothex/k", TOKEN), "merchant");
        assertParameterInvalid(get("/state/idempotency/" + MERCHANT + "/a%20b", TOKEN), "key");
        assertParameterInvalid(get("/state/idempotency/" + MERCHANT + "/" + "k".repeat(256), TOKEN), "key");
        assertParameterInvalid(get("/state/idempotency/" + MERCHANT + "/%C3%A9", TOKEN), "key");
        assertParameterInvalid(get("/state/idempotency/" + MERCHANT + "/%01", TOKEN), "key");
        // Jetty itself refuses an encoded NUL: still a 400 in the error shape, though it names no parameter.
        assertParameterInvalid(get("/state/idempotency/" + MERCHANT + "/a%00b", TOKEN), null);
        assertParameterInvalid(get("/state/idempotency/" + MERCHANT + "/%7F", TOKEN), "key");
        assertParameterInvalid(get("/state/idempotency/" + MERCHANT + "/%zz", TOKEN), null);
        assertParameterInvalid(get("/state/idempotency/" + MERCHANT + "/%", TOKEN), null);
        assertThat(lookedUp).isEmpty();
    }

    @Test
    void unknownPathIsNotFoundAndOtherMethodsAreNotAllowedInJson() throws IOException {
        server.serve(fake, "127.0.0.1:9999");

        Answer unknown = get("/state/nothing", TOKEN);
        Answer tooDeep = get("/state/idempotency/" + MERCHANT + "/a/b", TOKEN);
        Answer post = send("POST", "/state/idempotency/" + MERCHANT + "/k", "Authorization: Bearer " + TOKEN);
        Answer delete = send("DELETE", "/state/health", null);

        assertThat(unknown.status).isEqualTo(404);
        assertThat(unknown.body.at("/error/code").asText()).isEqualTo("route_not_found");
        assertThat(tooDeep.status).isEqualTo(404);
        assertThat(post.status).as(post.raw).isEqualTo(405);
        assertThat(post.body.at("/error/code").asText()).isEqualTo("method_not_allowed");
        assertThat(delete.status).isEqualTo(405);
    }

    private static void assertParameterInvalid(Answer answer, String param) {
        assertThat(answer.status).as(answer.raw).isEqualTo(400);
        assertThat(answer.body.at("/error/type").asText()).isEqualTo("invalid_request_error");
        if (param != null) {
            assertThat(answer.body.at("/error/code").asText()).as(answer.raw).isEqualTo("parameter_invalid");
            assertThat(answer.body.at("/error/param").asText()).isEqualTo(param);
        }
    }

    private Answer get(String path, String token) throws IOException {
        return send("GET", path, token == null ? null : "Authorization: Bearer " + token);
    }

    private Answer getWithAuthorization(String path, String authorization) throws IOException {
        return send("GET", path, "Authorization: " + authorization);
    }

    /** One HTTP/1.1 request written as it is, so no client re-encodes the path. */
    private Answer send(String method, String path, String header) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            String request = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + (header == null ? "" : header + "\r\n") + "\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return Answer.parse(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
        }
    }

    private record Answer(int status, Map<String, String> headers, JsonNode body, String raw) {

        static Answer parse(String response) throws IOException {
            int headEnd = response.indexOf("\r\n\r\n");
            String[] lines = response.substring(0, headEnd).split("\r\n");
            Map<String, String> headers = new ConcurrentHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(), lines[i].substring(colon + 1).trim());
            }
            String body = response.substring(headEnd + 4);
            return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, JSON.readTree(body), response);
        }
    }
}
