package dev.kassa.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kassa.app.Connections;
import dev.kassa.app.GatewaySettings;
import dev.kassa.app.Services;
import dev.kassa.app.e2e.ApiClient.Merchant;
import dev.kassa.model.Command;
import dev.kassa.model.Ids;
import dev.kassa.model.Topics;
import dev.kassa.runtime.EmbeddedRuntime;
import dev.kassa.testing.SharedRuntime;
import dev.kassa.topology.StreamsSettings;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The topology's state endpoint on the real gateway: a payment made through the API is found in the
 * {@code idempotency-keys} store by its key and its source account (the task that decided it),
 * however the key must be percent-encoded; an unknown key
 * is "not found" only by the instance that owns it; bad input and a bad token are 4xx. With a second
 * topology instance in the same group, each instance sends a caller to the owner of a key (421 and
 * {@code Location}), and the owner answers. A source account's fraud activity is found by its id.
 */
@Tag("integration")
@ExtendWith({SharedRuntime.class, SharedGateway.class})
class StateEndpointIT {

    /** Generous: joining the group, a rebalance and restoring the stores on a loaded CI machine. */
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(90);
    /** Enough accounts that each of two instances owns some of them, whatever the assignment. */
    private static final int PROBE_ACCOUNTS = 12;
    /** Funded customers, so that one is owned by the second instance but for a chance of 2^-12. */
    private static final int CANDIDATE_CUSTOMERS = 12;
    private static final long FUNDED = 10_000;

    private final TestGateway gateway;
    private final ApiClient api;
    private final EmbeddedRuntime runtime;
    private final Map<String, ApiClient> clients = new ConcurrentHashMap<>();

    StateEndpointIT(TestGateway gateway, EmbeddedRuntime runtime) {
        this.gateway = gateway;
        this.api = gateway.api();
        this.runtime = runtime;
    }

    @Test
    void paymentMadeThroughTheApiIsFoundByItsKey() {
        // Plan: pay through the API with a key of ours; the endpoint must answer the entry the
        // dedupe stage stored for it: this merchant, this key, the id of the payment the API
        // answered, first seen while the request ran, and this instance as the one answering.
        Merchant merchant = api.createMerchant("state lookup");
        String customer = funded(merchant);
        String key = keyOnAnotherPartitionThan(merchant.id(), customer);
        Instant before = Instant.now();

        String paymentId = api.pay(merchant, ApiClient.paymentBody(1_000, "usd", customer, null), key)
                .expectStatus(201).id();
        Instant after = Instant.now();

        ApiResponse found = awaitAnswer(gateway.stateUrl(), merchant.id(), routedBy(encode(key), customer))
                .expectStatus(200);
        assertThat(found.body().path("object").asText()).isEqualTo("idempotency_key");
        assertThat(found.body().path("merchant").asText()).isEqualTo(merchant.id());
        assertThat(found.body().path("idempotency_key").asText()).isEqualTo(key);
        assertThat(found.body().path("resource_id").asText()).isEqualTo(paymentId);
        assertThat(found.body().path("first_seen").asLong())
                .isBetween(before.getEpochSecond() - 1, after.getEpochSecond());
        assertThat("http://" + found.body().path("instance").asText()).isEqualTo(gateway.stateUrl());
        // The key is remembered in its source's task, not in the partition of the key itself.
        assertThat(awaitAnswer(gateway.stateUrl(), merchant.id(), encode(key)).status()).isEqualTo(404);
    }

    @Test
    void keyWithSlashPercentAndQuestionMarkRoundTripsWhenPercentEncoded() {
        // Plan: a key made of the characters a path cannot carry as they are. Sent percent-encoded,
        // it must reach the store as the very key the API was given, and come back unchanged.
        Merchant merchant = api.createMerchant("state lookup, odd key");
        String customer = funded(merchant);
        String key = "e2e/" + UUID.randomUUID() + "%2F?x=1&y=+;#..";

        String paymentId = api.pay(merchant, ApiClient.paymentBody(500, "usd", customer, null), key)
                .expectStatus(201).id();

        ApiResponse found = awaitAnswer(gateway.stateUrl(), merchant.id(), routedBy(encode(key), customer))
                .expectStatus(200);
        assertThat(found.body().path("idempotency_key").asText()).isEqualTo(key);
        assertThat(found.body().path("resource_id").asText()).isEqualTo(paymentId);
        // The key decoded once more, as a careless server would, is another key that was never used.
        ApiResponse decodedTwice = awaitAnswer(gateway.stateUrl(), merchant.id(),
                routedBy(encode(key.replace("%2F", "/")), customer));
        assertThat(decodedTwice.status()).isEqualTo(404);
    }

    @Test
    void unknownKeyIsNotFoundByTheInstanceThatOwnsIt() {
        Merchant merchant = api.createMerchant("state lookup, unknown key");

        ApiResponse missing = awaitAnswer(gateway.stateUrl(), merchant.id(), "never-used-" + UUID.randomUUID());

        assertThat(missing.status()).as("%s", missing).isEqualTo(404);
        assertThat(missing.errorType()).isEqualTo("invalid_request_error");
        assertThat(missing.errorCode()).isEqualTo("resource_missing");
        assertThat(missing.errorParam()).isEqualTo("key");
    }

    @Test
    void malformedMerchantOrKeyIsRejectedNamingTheParameter() {
        String merchant = Ids.next(Ids.MERCHANT);
        Map<String, String> pathToParam = Map.of(
                "/state/idempotency/mer_123/k", "merchant",
                "/state/idempotency/" + merchant.replace("mer_", "acct_") + "/k", "merchant",
                "/state/idempotency/" + merchant + "/a%20b", "key",
                "/state/idempotency/" + merchant + "/" + "k".repeat(256), "key",
                "/state/idempotency/" + merchant + "/%C3%A9", "key",
                "/state/idempotency/" + merchant + "/%01", "key");

        pathToParam.forEach((path, param) -> {
            ApiResponse rejected = state(gateway.stateUrl()).send(ApiClient.call("GET", path)
                    .bearer(gateway.adminToken()));
            assertThat(rejected.status()).as("%s: %s", path, rejected).isEqualTo(400);
            assertThat(rejected.errorCode()).isEqualTo("parameter_invalid");
            assertThat(rejected.errorParam()).isEqualTo(param);
        });
        ApiResponse unknownRoute = state(gateway.stateUrl()).send(ApiClient.call("GET", "/state/nothing"));
        assertThat(unknownRoute.status()).isEqualTo(404);
        assertThat(unknownRoute.errorCode()).isEqualTo("route_not_found");
        ApiResponse post = state(gateway.stateUrl()).send(ApiClient.call("POST", "/state/idempotency/" + merchant
                + "/k").bearer(gateway.adminToken()));
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.errorCode()).isEqualTo("method_not_allowed");
    }

    @Test
    void missingOrWrongAdminTokenIsUnauthenticated() {
        String path = "/state/idempotency/" + Ids.next(Ids.MERCHANT) + "/k";
        Merchant merchant = api.createMerchant("state lookup, merchant key");

        List<ApiResponse> refused = List.of(
                state(gateway.stateUrl()).send(ApiClient.call("GET", path)),
                state(gateway.stateUrl()).send(ApiClient.call("GET", path).bearer(gateway.adminToken() + "x")),
                state(gateway.stateUrl()).send(ApiClient.call("GET", path).bearer(merchant.secretKey())),
                state(gateway.stateUrl()).send(ApiClient.call("GET", path)
                        .header("Authorization", "Basic " + gateway.adminToken())));

        assertThat(refused).allSatisfy(answer -> {
            assertThat(answer.status()).as("%s", answer).isEqualTo(401);
            assertThat(answer.errorType()).isEqualTo("authentication_error");
            assertThat(answer.errorCode()).isEqualTo("unauthenticated");
        });
    }

    @Test
    void healthSaysRunningWithoutAToken() {
        ApiResponse health = await("a healthy answer").atMost(SETTLE_TIMEOUT)
                .until(() -> state(gateway.stateUrl()).send(ApiClient.call("GET", "/state/health")),
                        answer -> answer.status() == 200);

        assertThat(health.body().path("state").asText()).isEqualTo("RUNNING");
    }

    @Test
    void sourceAccountsFraudActivityShowsItsPaymentsAndDecisions() {
        // Plan: two payments from a fresh source through the API under the default rules; the
        // fraud-activity store must show both in every window at the source's latest payment, and
        // both decisions newest first, with the rule set that made them.
        Merchant merchant = api.createMerchant("state lookup, fraud");
        String customer = funded(merchant);
        String first = api.pay(merchant, ApiClient.paymentBody(1_000, "usd", customer, null)).expectStatus(201).id();
        String second = api.pay(merchant, ApiClient.paymentBody(250, "usd", customer, null)).expectStatus(201).id();

        ApiResponse found = awaitFraudAnswer(customer).expectStatus(200);

        assertThat(found.body().path("account").asText()).isEqualTo(customer);
        assertThat(Instant.parse(found.body().path("as_of").asText())).isBefore(Instant.now().plusSeconds(1));
        JsonNode features = found.body().path("features");
        assertThat(features.path("count_1m").asLong()).isEqualTo(2);
        assertThat(features.path("sum_1m").asLong()).isEqualTo(1_250);
        assertThat(features.path("count_24h").asLong()).isEqualTo(2);
        assertThat(features.path("distinct_destinations_1h").asLong()).isEqualTo(1);
        assertThat(features.path("declines_1h").asLong()).isZero();
        JsonNode decisions = found.body().path("recent_decisions");
        assertThat(decisions).hasSize(2);
        assertThat(decisions.get(0).path("payment").asText()).isEqualTo(second);
        assertThat(decisions.get(1).path("payment").asText()).isEqualTo(first);
        assertThat(decisions.get(0).path("destination").asText()).isEqualTo(merchant.ownAccount());
        assertThat(decisions.get(0).path("amount").asLong()).isEqualTo(250);
        assertThat(decisions.get(0).path("decision").asText()).isEqualTo("allow");
        assertThat(decisions.get(0).path("rule_set_version").asText()).isNotBlank();
    }

    @Test
    void accountThatNeverPaidHasNoFraudActivity() {
        // A deposit credits the account but is no payment from it: the fraud stage remembers nothing.
        Merchant merchant = api.createMerchant("state lookup, fraud, no payment");
        String customer = funded(merchant);

        ApiResponse missing = awaitFraudAnswer(customer);
        ApiResponse neverOpened = awaitFraudAnswer(ApiClient.unknownId(Ids.ACCOUNT));

        for (ApiResponse answer : List.of(missing, neverOpened)) {
            assertThat(answer.status()).as("%s", answer).isEqualTo(404);
            assertThat(answer.errorType()).isEqualTo("invalid_request_error");
            assertThat(answer.errorCode()).isEqualTo("resource_missing");
            assertThat(answer.errorParam()).isEqualTo("account");
        }
        ApiResponse malformed = state(gateway.stateUrl()).send(ApiClient.call("GET", "/state/fraud/acct_123")
                .bearer(gateway.adminToken()));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.errorParam()).isEqualTo("account");
    }

    @Test
    void fraudActivityWithoutTheAdminTokenIsUnauthenticated() {
        Merchant merchant = api.createMerchant("state lookup, fraud, merchant key");
        String path = "/state/fraud/" + ApiClient.unknownId(Ids.ACCOUNT);

        List<ApiResponse> refused = List.of(
                state(gateway.stateUrl()).send(ApiClient.call("GET", path)),
                state(gateway.stateUrl()).send(ApiClient.call("GET", path).bearer(gateway.adminToken() + "x")),
                state(gateway.stateUrl()).send(ApiClient.call("GET", path).bearer(merchant.secretKey())));

        assertThat(refused).allSatisfy(answer -> {
            assertThat(answer.status()).as("%s", answer).isEqualTo(401);
            assertThat(answer.errorCode()).isEqualTo("unauthenticated");
        });
    }

    @Test
    void keyOwnedByAnotherInstanceIsMisdirectedToItsOwnerNeverNotFound() throws Exception {
        // Plan: fund a dozen customers, then start a second topology instance in the gateway's group,
        // with its own state directory and state endpoint, and wait until the two split the
        // partitions and agree on who owns each probe account: every lookup routed by that account
        // answered 200/404 by exactly one instance and 421 naming that instance by the other. Pay
        // from a customer the second instance owns (its key is remembered in its source's task): the
        // gateway's instance must answer 421 with the owner's URL and Location, never 404, and
        // following Location must find the payment. Last, the second instance is closed and removed
        // from the group so that the gateway owns every key again for the tests that follow.
        Merchant merchant = api.createMerchant("state lookup, two instances");
        List<String> customers = IntStream.range(0, CANDIDATE_CUSTOMERS).mapToObj(i -> funded(merchant)).toList();
        List<String> probes = new ArrayList<>(customers);
        IntStream.range(0, PROBE_ACCOUNTS).forEach(i -> probes.add(Ids.next(Ids.ACCOUNT)));
        String key = "two-instances-" + UUID.randomUUID();
        String secondInstanceId = "state-it-" + UUID.randomUUID();
        Services.RunningTopology second = Services.startTopology(secondInstanceSettings(secondInstanceId).topology());
        try {
            String first = gateway.stateUrl();
            String other = second.stateUrl().orElseThrow();
            Map<String, String> owners = await("the two instances to split the partitions and agree on owners")
                    .atMost(SETTLE_TIMEOUT).pollInterval(Duration.ofMillis(500))
                    .until(() -> owners(merchant.id(), key, probes, first, other),
                            found -> found != null && found.containsValue(first) && found.containsValue(other));

            String customer = customers.stream().filter(account -> owners.get(account).equals(other))
                    .findFirst().orElseThrow(() -> new AssertionError("none of " + CANDIDATE_CUSTOMERS
                            + " customers is owned by the second instance: " + owners));
            String paymentId = api.pay(merchant, ApiClient.paymentBody(700, "usd", customer, null), key)
                    .expectStatus(201).id();

            ApiResponse misdirected = lookup(first, merchant.id(), routedBy(encode(key), customer));
            assertThat(misdirected.status()).as("%s", misdirected).isEqualTo(421);
            assertThat(misdirected.errorType()).isEqualTo("state_error");
            assertThat(misdirected.errorCode()).isEqualTo("key_owned_elsewhere");
            assertThat(misdirected.error().path("owner").asText()).isEqualTo(other);
            String location = misdirected.headers().firstValue("Location").orElseThrow();
            assertThat(location).startsWith(other + "/state/idempotency/" + merchant.id() + "/")
                    .endsWith("?account=" + customer);

            ApiResponse atOwner = follow(location).expectStatus(200);
            assertThat(atOwner.body().path("resource_id").asText()).isEqualTo(paymentId);
            assertThat(atOwner.body().path("idempotency_key").asText()).isEqualTo(key);
            assertThat("http://" + atOwner.body().path("instance").asText()).isEqualTo(other);

            String unusedOnOther = probes.stream()
                    .filter(probe -> owners.get(probe).equals(other)
                            && gateway.partitionOf(probe) != gateway.partitionOf(customer))
                    .findFirst().orElseThrow();
            ApiResponse unusedMisdirected = lookup(first, merchant.id(), routedBy(encode(key), unusedOnOther));
            assertThat(unusedMisdirected.status()).as("never 404 from a non-owner").isEqualTo(421);
            follow(unusedMisdirected.headers().firstValue("Location").orElseThrow()).expectStatus(404);
        } finally {
            second.close();
            removeFromGroup(secondInstanceId);
            await("the gateway to run alone and own every key again").atMost(SETTLE_TIMEOUT)
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> state(gateway.stateUrl()).send(ApiClient.call("GET", "/state/health")).status() == 200
                            && probes.stream().allMatch(probe -> answersItself(lookup(gateway.stateUrl(),
                                    merchant.id(), routedBy(encode(key), probe)))));
        }
    }

    /**
     * Who owns the partition of each probe account, as both instances say of {@code key} routed by
     * it: the URL of the one that answers 200 or 404 while the other answers 421 naming it; null
     * while they disagree or one cannot answer.
     */
    private Map<String, String> owners(String merchant, String key, List<String> probes, String first, String other) {
        Map<String, String> owners = new HashMap<>();
        for (String probe : probes) {
            ApiResponse atFirst = lookup(first, merchant, routedBy(encode(key), probe));
            ApiResponse atOther = lookup(other, merchant, routedBy(encode(key), probe));
            if (answersItself(atFirst) && misdirectsTo(atOther, first)) {
                owners.put(probe, first);
            } else if (answersItself(atOther) && misdirectsTo(atFirst, other)) {
                owners.put(probe, other);
            } else {
                return null;
            }
        }
        return owners;
    }

    private static boolean answersItself(ApiResponse answer) {
        return answer.status() == 200 || answer.status() == 404;
    }

    private static boolean misdirectsTo(ApiResponse answer, String owner) {
        return answer.status() == 421 && owner.equals(answer.error().path("owner").asText());
    }

    /** The gateway's topology settings, but its own state directory, state endpoint and group member id. */
    private GatewaySettings secondInstanceSettings(String instanceId) throws Exception {
        Connections connections = new Connections(runtime.bootstrapServers(), runtime.jdbcUrl(),
                runtime.postgres().user(), runtime.postgres().password(), runtime.redisUri());
        Path stateDirectory = Files.createTempDirectory(runtime.dataDirectory(), "state-it-streams-");
        return GatewaySettings.builder(connections, gateway.adminToken(), stateDirectory).partitions(commandPartitions())
                .instanceId(instanceId).build();
    }

    /** The gateway's partition count, read from the broker rather than assumed. */
    private int commandPartitions() throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(adminProperties())) {
            return admin.describeTopics(List.of(Topics.PAYMENTS_COMMANDS.name())).allTopicNames().get()
                    .get(Topics.PAYMENTS_COMMANDS.name()).partitions().size();
        }
    }

    /**
     * A closed Kafka Streams instance stays in its group until its session times out; a static
     * member (the second instance has an instance id) is removed at once instead, so the gateway
     * gets its partitions back now and the tests that follow do not wait on them.
     */
    private void removeFromGroup(String instanceId) throws ExecutionException, InterruptedException {
        String group = StreamsSettings.APPLICATION_ID_DEFAULT;
        try (Admin admin = Admin.create(adminProperties())) {
            List<MemberToRemove> members = new ArrayList<>();
            for (MemberDescription member : admin.describeConsumerGroups(List.of(group)).all().get().get(group)
                    .members()) {
                member.groupInstanceId().filter(id -> id.startsWith(instanceId))
                        .ifPresent(id -> members.add(new MemberToRemove(id)));
            }
            if (!members.isEmpty()) {
                admin.removeMembersFromConsumerGroup(group, new RemoveMembersFromConsumerGroupOptions(members))
                        .all().get();
            }
        }
    }

    private Properties adminProperties() {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, gateway.kafkaBootstrap());
        return properties;
    }

    /** A new account of {@code merchant} holding {@value #FUNDED}. */
    private String funded(Merchant merchant) {
        String customer = api.openAccount(merchant, "usd");
        api.deposit(merchant, customer, FUNDED).expectStatus(201);
        return customer;
    }

    /** The answer once the store can answer: lookups right after a rebalance may be 503 for a moment. */
    private ApiResponse awaitAnswer(String stateUrl, String merchant, String encodedKey) {
        return await("an answer from the idempotency-keys store").atMost(SETTLE_TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> lookup(stateUrl, merchant, encodedKey), answer -> answer.status() != 503);
    }

    /** {@code GET /state/fraud/{account}} on the gateway, once the store can answer. */
    private ApiResponse awaitFraudAnswer(String account) {
        return await("an answer from the fraud-activity store").atMost(SETTLE_TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> state(gateway.stateUrl()).send(ApiClient.call("GET", "/state/fraud/" + account)
                        .bearer(gateway.adminToken())), answer -> answer.status() != 503);
    }

    private ApiResponse lookup(String stateUrl, String merchant, String encodedKey) {
        return state(stateUrl).send(ApiClient.call("GET", "/state/idempotency/" + merchant + "/" + encodedKey)
                .bearer(gateway.adminToken()));
    }

    private ApiResponse follow(String location) {
        URI uri = URI.create(location);
        String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return state(uri.getScheme() + "://" + uri.getRawAuthority())
                .send(ApiClient.call("GET", pathAndQuery).bearer(gateway.adminToken()));
    }

    /** A fresh key whose own partition is not {@code account}'s, where a payment from it is remembered. */
    private String keyOnAnotherPartitionThan(String merchant, String account) {
        return Stream.generate(ApiClient::newIdempotencyKey)
                .filter(key -> gateway.partitionOf(Command.commandKey(merchant, key)) != gateway.partitionOf(account))
                .findFirst().orElseThrow();
    }

    /** An encoded key with the account its command was routed by, where the topology remembers it. */
    private static String routedBy(String encodedKey, String account) {
        return encodedKey + "?account=" + account;
    }

    /**
     * One client per instance, reused: each client keeps its connections open, and a new one per
     * request would soon hold every connection the state endpoint accepts.
     */
    private ApiClient state(String stateUrl) {
        return clients.computeIfAbsent(stateUrl, url -> new ApiClient(url, gateway.adminToken()));
    }

    /** Percent-encodes a key as a client would, with the JDK's encoder rather than the server's. */
    private static String encode(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
