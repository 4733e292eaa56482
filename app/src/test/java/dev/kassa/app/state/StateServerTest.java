package dev.kassa.app.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kassa.model.FraudAssessment;
import dev.kassa.model.FraudDecision;
import dev.kassa.model.Ids;
import dev.kassa.topology.StoreLookup;
import dev.kassa.topology.dedupe.IdempotencyEntry;
import dev.kassa.topology.fraud.SourceActivity;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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

    private static final String TOKEN = "state-test-admin-token-8c1f5a3b9e2d4f70";
    private static final String MERCHANT = Ids.next(Ids.MERCHANT);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The fake store: answers by the command key {@code merchant:key}; any other key is NotFound. */
    private final Map<String, StoreLookup<IdempotencyEntry>> answers = new ConcurrentHashMap<>();
    private final List<String> lookedUp = new ArrayList<>();
    /** The fake fraud-activity store: answers by account id; any other account is NotFound. */
    private final Map<String, StoreLookup<SourceActivity>> fraudAnswers = new ConcurrentHashMap<>();
    private final List<String> fraudLookedUp = new ArrayList<>();
    private volatile KafkaStreams.State state = KafkaStreams.State.RUNNING;
    private StateServer server;

    private final TopologyQueries fake = new TopologyQueries() {
        @Override
        public KafkaStreams.State state() {
            return state;
        }

        @Override
        public StoreLookup<IdempotencyEntry> idempotencyKey(String merchantId, String idempotencyKey,
                                                            String routingAccount) {
            lookedUp.add(idempotencyKey);
            return answers.getOrDefault(merchantId + ":" + idempotencyKey, new StoreLookup.NotFound<>());
        }

        @Override
        public StoreLookup<SourceActivity> fraudActivity(String accountId) {
            fraudLookedUp.add(accountId);
            return fraudAnswers.getOrDefault(accountId, new StoreLookup.NotFound<>());
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
    void routingAccountThatIsNoAccountIdIsRefusedNamingItAndNothingIsLookedUp() throws IOException {
        server.serve(fake, "127.0.0.1:9999");

        for (String account : new String[] {"acct_", "mer_0123", "acct_nobody", "%20"}) {
            Answer refused = get("/state/idempotency/" + MERCHANT + "/k?account=" + account, TOKEN);
            assertThat(refused.status).as(account).isEqualTo(400);
            assertThat(refused.body.at("/error/code").asText()).isEqualTo("parameter_invalid");
            assertThat(refused.body.at("/error/param").asText()).isEqualTo("account");
        }
        assertThat(lookedUp).isEmpty();
    }

    @Test
    void foundEntryIsAnsweredWithItsResourceAndThisInstance() throws IOException {
        server.serve(fake, "127.0.0.1:9999");
        answers.put(MERCHANT + ":a/b%c?d+e", new StoreLookup.Found<>(
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
        answers.put(MERCHANT + ":x/y", new StoreLookup.OwnedElsewhere<>("10.0.0.7", 8081));

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
        answers.put(MERCHANT + ":k", new StoreLookup.Unavailable<>("rebalancing"));
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

    @Test
    void fraudActivityShowsTheWindowsAtTheSourcesLatestPaymentAndDecisionsNewestFirst() throws IOException {
        // Plan: three payments of one source, two seconds apart, the last one blocked; the answer must
        // count all three in every window at the time of the latest, sum their amounts, count the
        // decline, and list the three decisions newest first with everything operators need.
        server.serve(fake, "127.0.0.1:9999");
        String source = Ids.next(Ids.ACCOUNT);
        String destination = Ids.next(Ids.ACCOUNT);
        long startMs = 1_700_000_000_000L;
        SourceActivity activity = SourceActivity.empty();
        for (int i = 0; i < 3; i++) {
            long atMs = startMs + i * 2_000L;
            FraudAssessment assessment = i < 2 ? new FraudAssessment(30, FraudAssessment.Decision.ALLOW,
                    List.of("first payment from this source to this destination"))
                    : new FraudAssessment(100, FraudAssessment.Decision.BLOCK,
                    List.of("more than 10 payments from this source in 1 minute"));
            activity = activity.withPayment(destination, 100L * (i + 1), atMs)
                    .withDecision(new FraudDecision(FraudDecision.SCHEMA_VERSION, "pay_" + i, MERCHANT, source,
                            destination, 100L * (i + 1), "usd", assessment, "default-1", Map.of(),
                            Instant.ofEpochMilli(atMs)));
        }
        activity = activity.withDecline(startMs + 4_000L);
        fraudAnswers.put(source, new StoreLookup.Found<>(activity));

        Answer found = get("/state/fraud/" + source, TOKEN);

        assertThat(found.status).as(found.raw).isEqualTo(200);
        assertThat(found.body.path("account").asText()).isEqualTo(source);
        assertThat(found.body.path("as_of").asText()).isEqualTo(Instant.ofEpochMilli(startMs + 4_000L).toString());
        assertThat(found.body.path("instance").asText()).isEqualTo("127.0.0.1:9999");
        JsonNode features = found.body.path("features");
        for (String window : List.of("1m", "1h", "24h")) {
            assertThat(features.path("count_" + window).asLong()).as(window).isEqualTo(3);
            assertThat(features.path("sum_" + window).asLong()).as(window).isEqualTo(600);
        }
        assertThat(features.path("distinct_destinations_1h").asLong()).isEqualTo(1);
        assertThat(features.path("declines_1h").asLong()).isEqualTo(1);
        JsonNode decisions = found.body.path("recent_decisions");
        assertThat(decisions).hasSize(3);
        assertThat(decisions.get(0).path("payment").asText()).isEqualTo("pay_2");
        assertThat(decisions.get(2).path("payment").asText()).isEqualTo("pay_0");
        JsonNode newest = decisions.get(0);
        assertThat(newest.path("destination").asText()).isEqualTo(destination);
        assertThat(newest.path("amount").asLong()).isEqualTo(300);
        assertThat(newest.path("currency").asText()).isEqualTo("usd");
        assertThat(newest.path("score").asInt()).isEqualTo(100);
        assertThat(newest.path("decision").asText()).isEqualTo("block");
        assertThat(newest.path("reasons").get(0).asText()).isEqualTo("more than 10 payments from this source in 1 minute");
        assertThat(newest.path("rule_set_version").asText()).isEqualTo("default-1");
        assertThat(newest.path("decided_at").asText()).isEqualTo(Instant.ofEpochMilli(startMs + 4_000L).toString());
    }

    @Test
    void fraudActivityOfAnAccountOwnedHereButUnknownIsNotFoundNamingTheAccount() throws IOException {
        server.serve(fake, "127.0.0.1:9999");
        String account = Ids.next(Ids.ACCOUNT);

        Answer missing = get("/state/fraud/" + account, TOKEN);

        assertThat(missing.status).as(missing.raw).isEqualTo(404);
        assertThat(missing.body.at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(missing.body.at("/error/code").asText()).isEqualTo("resource_missing");
        assertThat(missing.body.at("/error/param").asText()).isEqualTo("account");
        assertThat(fraudLookedUp).containsExactly(account);
    }

    @Test
    void fraudActivityOwnedElsewhereIsMisdirectedAndUnavailableIsRetried() throws IOException {
        server.serve(fake, "127.0.0.1:9999");
        String elsewhere = Ids.next(Ids.ACCOUNT);
        String restoring = Ids.next(Ids.ACCOUNT);
        fraudAnswers.put(elsewhere, new StoreLookup.OwnedElsewhere<>("10.0.0.7", 8081));
        fraudAnswers.put(restoring, new StoreLookup.Unavailable<>("restoring"));

        Answer misdirected = get("/state/fraud/" + elsewhere, TOKEN);
        Answer unavailable = get("/state/fraud/" + restoring, TOKEN);

        assertThat(misdirected.status).as(misdirected.raw).isEqualTo(421);
        assertThat(misdirected.body.at("/error/code").asText()).isEqualTo("key_owned_elsewhere");
        assertThat(misdirected.body.at("/error/owner").asText()).isEqualTo("http://10.0.0.7:8081");
        assertThat(misdirected.headers).containsEntry("location", "http://10.0.0.7:8081/state/fraud/" + elsewhere);
        assertThat(unavailable.status).isEqualTo(503);
        assertThat(unavailable.body.at("/error/code").asText()).isEqualTo("state_unavailable");
        assertThat(unavailable.headers).containsEntry("retry-after", "1");
    }

    @Test
    void fraudActivityNeedsTheTokenAndAnAccountIdBeforeAnythingIsLookedUp() throws IOException {
        server.serve(fake, "127.0.0.1:9999");
        String account = Ids.next(Ids.ACCOUNT);

        assertThat(get("/state/fraud/" + account, null).status).isEqualTo(401);
        assertThat(get("/state/fraud/" + account, TOKEN + "x").status).isEqualTo(401);
        assertParameterInvalid(get("/state/fraud/" + MERCHANT, TOKEN), "account");
        assertParameterInvalid(get("/state/fraud/acct_123", TOKEN), "account");
        assertParameterInvalid(get("/state/fraud/" + account.toUpperCase(), TOKEN), "account");
        assertThat(get("/state/fraud/" + account + "/x", TOKEN).status).isEqualTo(404);
        assertThat(send("POST", "/state/fraud/" + account, "Authorization: Bearer " + TOKEN).status).isEqualTo(405);
        assertThat(fraudLookedUp).isEmpty();
    }

    @Test
    void fraudActivityIsUnavailableBeforeTheTopologyIsHandedOver() throws IOException {
        Answer lookup = get("/state/fraud/" + Ids.next(Ids.ACCOUNT), TOKEN);

        assertThat(lookup.status).isEqualTo(503);
        assertThat(lookup.body.at("/error/code").asText()).isEqualTo("state_unavailable");
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
