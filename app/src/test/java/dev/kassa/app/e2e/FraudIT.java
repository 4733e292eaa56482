package dev.kassa.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kassa.app.Main;
import dev.kassa.app.RulePublisher;
import dev.kassa.app.e2e.ApiClient.Merchant;
import dev.kassa.fraud.RuleSet;
import dev.kassa.model.FraudAssessment;
import dev.kassa.model.FraudDecision;
import dev.kassa.model.Topics;
import dev.kassa.testing.BalanceOracle;
import dev.kassa.testing.CommittedRecords;
import dev.kassa.testing.LedgerSql;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The fraud stage on the real gateway with the default rule set: a burst from one source is cut off
 * after ten payments per minute while another source goes on, every decision lands once on
 * {@code fraud.decisions}, only allowed payments move money, and a rule set pushed with
 * {@code kassa rules push} changes decisions without a restart. The test leaves the default rule set
 * in force for the test classes that share the gateway.
 */
@Tag("integration")
@ExtendWith(SharedGateway.class)
class FraudIT {

    /** As the gateway's topics were created; a push only creates topics that are missing. */
    private static final int PARTITIONS = 6;
    private static final int BURST = 40;
    /** The default rule set's "more than 10 payments from this source in 1 minute". */
    private static final int ALLOWED_PER_MINUTE = 10;
    private static final long FUNDED = 100_000;
    private static final long AMOUNT = 100;
    private static final String VELOCITY_REASON = "more than 10 payments from this source in 1 minute";
    private static final String BLOCK_LIST_REASON = "source account is on the block list";
    private static final String ALLOW_LIST_REASON = "source account is on the allow list";
    private static final String VERSION_DEFAULT = "default-1";
    private static final Duration SINK_WAIT = Duration.ofSeconds(30);
    /** Generous: a pushed rule set reaches the global store in well under a second on an idle machine. */
    private static final Duration RULES_IN_FORCE_WAIT = Duration.ofSeconds(60);

    private final TestGateway gateway;
    private final ApiClient api;
    private final ApiClient state;
    private final LedgerSql ledger;

    @TempDir
    Path directory;

    FraudIT(TestGateway gateway) {
        this.gateway = gateway;
        this.api = gateway.api();
        this.state = new ApiClient(gateway.stateUrl(), gateway.adminToken());
        this.ledger = gateway.ledger();
    }

    @Test
    void burstFromOneSourceIsBlockedAfterTenPerMinuteAndOnlyTheAllowedTenMoveMoney() {
        // Plan: 40 payments from one funded source, one after another (well within a minute), under
        // the default rules. The oracle: the first ten complete, the 11th to 40th fail fraud_blocked
        // and move nothing; a payment from another source right after completes. Then a
        // read_committed reader of fraud.decisions must find exactly one decision per payment, with
        // count_1m = its place in the burst, and Postgres must hold the oracle's balances. Last, the
        // state endpoint must show the source's 40 payments in its minute and its ten latest decisions.
        pushDefaultRules();
        Merchant merchant = api.createMerchant("fraud burst");
        BalanceOracle oracle = new BalanceOracle();
        oracle.opened(merchant.ownAccount(), merchant.id(), "usd");
        String source = funded(merchant, oracle);
        String bystander = funded(merchant, oracle);

        List<String> burst = new ArrayList<>();
        for (int i = 1; i <= BURST; i++) {
            ApiResponse answer = api.pay(merchant, AMOUNT, "usd", source, null);
            burst.add(i <= ALLOWED_PER_MINUTE
                    ? expectAllowed(answer, oracle, merchant, source)
                    : expectBlocked(answer));
        }
        String unaffected =
                expectAllowed(api.pay(merchant, AMOUNT, "usd", bystander, null), oracle, merchant, bystander);

        Map<String, FraudDecision> decisions = decisionsOf(merchant, BURST + 1);
        for (int i = 1; i <= BURST; i++) {
            FraudDecision decision = decisions.get(burst.get(i - 1));
            assertThat(decision.sourceAccountId()).isEqualTo(source);
            assertThat(decision.ruleSetVersion()).isEqualTo(VERSION_DEFAULT);
            assertThat(((Number) decision.features().get("count_1m")).longValue()).as("payment %d", i).isEqualTo(i);
            if (i <= ALLOWED_PER_MINUTE) {
                assertThat(decision.assessment().decision()).isEqualTo(FraudAssessment.Decision.ALLOW);
            } else {
                assertThat(decision.assessment().decision()).isEqualTo(FraudAssessment.Decision.BLOCK);
                assertThat(decision.reasons()).as("payment %d", i).contains(VELOCITY_REASON);
            }
        }
        assertThat(decisions.get(unaffected).assessment().decision()).isEqualTo(FraudAssessment.Decision.ALLOW);
        assertThat(((Number) decisions.get(unaffected).features().get("count_1m")).longValue()).isEqualTo(1);

        awaitLedger(oracle, source, bystander, merchant.ownAccount());
        await("the sink to store every payment of the burst").atMost(SINK_WAIT).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(ledger.strings("SELECT status || ':' || coalesce(failure_code, '')"
                        + " FROM payments WHERE id = ANY(?)", burst)).hasSize(BURST)
                        .containsOnly("completed:", "failed:fraud_blocked")
                        .filteredOn("completed:"::equals).hasSize(ALLOWED_PER_MINUTE));

        JsonNode activity = fraudActivity(source).expectStatus(200).body();
        assertThat(activity.path("account").asText()).isEqualTo(source);
        assertThat(activity.path("features").path("count_1m").asLong()).isEqualTo(BURST);
        assertThat(activity.path("features").path("sum_1m").asLong()).isEqualTo(BURST * AMOUNT);
        assertThat(activity.path("features").path("declines_1h").asLong()).isEqualTo(BURST - ALLOWED_PER_MINUTE);
        JsonNode recent = activity.path("recent_decisions");
        assertThat(recent).hasSize(10);
        assertThat(recent.get(0).path("payment").asText()).as("newest first").isEqualTo(burst.get(BURST - 1));
        assertThat(recent.get(9).path("payment").asText()).isEqualTo(burst.get(BURST - 10));
        recent.forEach(decision -> {
            assertThat(decision.path("decision").asText()).isEqualTo("block");
            assertThat(decision.path("rule_set_version").asText()).isEqualTo(VERSION_DEFAULT);
        });
    }

    @Test
    void pushedRuleSetChangesDecisionsWithoutARestartAndAnInvalidOnePublishesNothing() throws IOException {
        // Plan: push, with the CLI, the default rules plus a block list holding a target account; wait
        // until a probe payment is judged by the pushed version (never a sleep); the target's next
        // payment must then fail fraud_blocked under that version. Push with RulePublisher a set that
        // allow-lists the target instead: its next payment completes under that version. An invalid
        // file pushed in between must exit 2 and leave fraud.rules as it was. Whatever happens, the
        // default rule set is pushed back and awaited for the test classes that follow.
        Merchant merchant = api.createMerchant("fraud rule push");
        BalanceOracle oracle = new BalanceOracle();
        oracle.opened(merchant.ownAccount(), merchant.id(), "usd");
        String target = funded(merchant, oracle);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String blockVersion = "it-block-" + suffix;
        String allowVersion = "it-allow-" + suffix;
        try {
            byte[] blocking = ruleFile(blockVersion, "block_list", target);
            CliRun pushed = kassa("rules", "push", "--kafka-bootstrap", gateway.kafkaBootstrap(),
                    write("block.json", blocking).toString());
            assertThat(pushed.exitCode()).as(pushed.toString()).isZero();
            assertThat(pushed.out()).contains("rule set " + blockVersion + " (6 rules) published to fraud.rules");
            assertThat(lastCommittedRuleFile()).isEqualTo(blocking);
            awaitRulesInForce(blockVersion);

            ApiResponse blocked = api.pay(merchant, AMOUNT, "usd", target, null);
            assertThat(blocked.status()).as("%s", blocked).isEqualTo(402);
            assertThat(blocked.errorCode()).isEqualTo("fraud_blocked");
            assertThat(blocked.error().path("payment").path("fraud").path("reasons").toString())
                    .contains(BLOCK_LIST_REASON);
            assertThat(latestDecisionVersion(target)).isEqualTo(blockVersion);

            long rulesEnd = CommittedRecords.committedEnd(gateway.kafkaBootstrap(), Topics.FRAUD_RULES);
            CliRun invalid = kassa("rules", "push", "--kafka-bootstrap", gateway.kafkaBootstrap(),
                    write("invalid.json", "{\"version\": \"it-invalid\", \"rules\": [{\"id\": \"x\"}]}").toString());
            assertThat(invalid.exitCode()).as(invalid.toString()).isEqualTo(2);
            assertThat(invalid.err()).contains("nothing published");
            assertThat(CommittedRecords.committedEnd(gateway.kafkaBootstrap(), Topics.FRAUD_RULES)).isEqualTo(rulesEnd);

            byte[] allowing = ruleFile(allowVersion, "allow_list", target);
            RulePublisher.publish(gateway.kafkaBootstrap(), PARTITIONS, (short) 1, allowing);
            assertThat(lastCommittedRuleFile()).isEqualTo(allowing);
            awaitRulesInForce(allowVersion);

            ApiResponse allowed = api.pay(merchant, AMOUNT, "usd", target, null);
            expectAllowed(allowed, oracle, merchant, target);
            assertThat(allowed.body().path("fraud").path("reasons").toString()).contains(ALLOW_LIST_REASON);
            assertThat(latestDecisionVersion(target)).isEqualTo(allowVersion);
            assertThat(decisionsOf(merchant, 2).values()).extracting(FraudDecision::ruleSetVersion)
                    .containsExactlyInAnyOrder(blockVersion, allowVersion);
            awaitLedger(oracle, target, merchant.ownAccount());
        } finally {
            pushDefaultRules();
        }
    }

    /**
     * Puts the default rule set in force, whatever an earlier test on this gateway pushed, and waits
     * until it judges payments.
     */
    private void pushDefaultRules() {
        RulePublisher.publish(gateway.kafkaBootstrap(), PARTITIONS, (short) 1, RuleSet.defaults().toJson());
        awaitRulesInForce(VERSION_DEFAULT);
    }

    /** The default rule file with {@code version} and {@code account} as the only entry of {@code list}. */
    private static byte[] ruleFile(String version, String list, String account) throws IOException {
        ObjectNode rules = (ObjectNode) ApiClient.JSON.readTree(RuleSet.defaults().toJson());
        rules.put("version", version);
        rules.putArray(list).add(account);
        return ApiClient.JSON.writeValueAsBytes(rules);
    }

    /**
     * Waits until payments are judged by rule set {@code version}: a probe account of its own pays
     * (from a merchant made for it, so no test's source counts the probes) until the state endpoint
     * shows the probe's latest decision made under {@code version}.
     */
    private void awaitRulesInForce(String version) {
        Merchant merchant = api.createMerchant("fraud rules probe");
        String probe = api.openAccount(merchant, "usd");
        api.deposit(merchant, probe, FUNDED).expectStatus(201);
        await("rule set " + version + " in force").atMost(RULES_IN_FORCE_WAIT).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    int status = api.pay(merchant, 1, "usd", probe, null).status();
                    return (status == 201 || status == 402) && version.equals(latestDecisionVersion(probe));
                });
    }

    /** The rule set version of the account's latest fraud decision, as the state endpoint says. */
    private String latestDecisionVersion(String account) {
        ApiResponse activity = fraudActivity(account);
        return activity.status() == 200
                ? activity.body().path("recent_decisions").path(0).path("rule_set_version").asText(null)
                : null;
    }

    /** {@code GET /state/fraud/{account}}, once the store can answer (not 503 during a rebalance). */
    private ApiResponse fraudActivity(String account) {
        return await("an answer from the fraud-activity store").atMost(RULES_IN_FORCE_WAIT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> state.send(ApiClient.call("GET", "/state/fraud/" + account).bearer(gateway.adminToken())),
                        answer -> answer.status() != 503);
    }

    /**
     * The decisions on {@code merchant}'s payments on fraud.decisions, read_committed, by payment id;
     * fails unless each payment has exactly one and there are {@code expected} of them.
     */
    private Map<String, FraudDecision> decisionsOf(Merchant merchant, int expected) {
        List<ConsumerRecord<String, FraudDecision>> records = await("the decisions on fraud.decisions")
                .atMost(SINK_WAIT).pollInterval(Duration.ofMillis(500))
                .until(() -> CommittedRecords.readAll(gateway.kafkaBootstrap(), Topics.FRAUD_DECISIONS).stream()
                        .filter(record -> record.value().merchantId().equals(merchant.id()))
                        .toList(), found -> found.size() >= expected);
        assertThat(records).hasSize(expected);
        records.forEach(record -> assertThat(record.key()).isEqualTo(record.value().paymentId()));
        return records.stream().map(ConsumerRecord::value)
                .collect(Collectors.toMap(FraudDecision::paymentId, Function.identity()));
    }

    /** The value of the newest committed record on fraud.rules. */
    private byte[] lastCommittedRuleFile() {
        List<ConsumerRecord<String, byte[]>> records =
                CommittedRecords.readAll(gateway.kafkaBootstrap(), Topics.FRAUD_RULES);
        assertThat(records).isNotEmpty();
        ConsumerRecord<String, byte[]> last = records.get(records.size() - 1);
        assertThat(last.key()).isEqualTo(Topics.FRAUD_RULES_KEY);
        return last.value();
    }

    /** Expects a 201 with fraud decision allow, books it in the oracle; returns the payment id. */
    private static String expectAllowed(ApiResponse answer, BalanceOracle oracle, Merchant merchant, String source) {
        assertThat(answer.status()).as("%s", answer).isEqualTo(201);
        assertThat(answer.body().path("fraud").path("decision").asText()).isEqualTo("allow");
        assertThat(oracle.paid(merchant.id(), AMOUNT, "usd", source, merchant.ownAccount()).completed()).isTrue();
        return answer.id();
    }

    /** Expects a 402 fraud_blocked carrying the failed payment; returns its id. Nothing moves in the oracle. */
    private static String expectBlocked(ApiResponse answer) {
        assertThat(answer.status()).as("%s", answer).isEqualTo(402);
        assertThat(answer.errorType()).isEqualTo("payment_error");
        assertThat(answer.errorCode()).isEqualTo("fraud_blocked");
        JsonNode payment = answer.error().path("payment");
        assertThat(payment.path("status").asText()).isEqualTo("failed");
        assertThat(payment.path("failure_code").asText()).isEqualTo("fraud_blocked");
        assertThat(payment.path("fraud").path("decision").asText()).isEqualTo("block");
        return payment.path("id").asText();
    }

    /** Postgres holds the oracle's balance for each account, in its balance column and its entries. */
    private void awaitLedger(BalanceOracle oracle, String... accounts) {
        await("the sink to book the oracle's balances").atMost(SINK_WAIT).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> {
                    for (String account : accounts) {
                        assertThat(ledger.storedBalance(account)).as(account).isEqualTo(oracle.balance(account));
                        assertThat(ledger.sumOfEntries(account)).as(account).isEqualTo(oracle.balance(account));
                    }
                });
    }

    /** A new account of {@code merchant} holding {@value #FUNDED}, known to the oracle. */
    private String funded(Merchant merchant, BalanceOracle oracle) {
        String account = api.openAccount(merchant, "usd");
        oracle.opened(account, merchant.id(), "usd");
        api.deposit(merchant, account, FUNDED).expectStatus(201);
        oracle.deposited(account, FUNDED);
        return account;
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(directory.resolve(name), content);
    }

    private Path write(String name, String content) throws IOException {
        return write(name, content.getBytes(StandardCharsets.UTF_8));
    }

    /** What one run of {@code kassa ...} in this JVM printed and returned. */
    private record CliRun(int exitCode, String out, String err) {
    }

    private static CliRun kassa(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = new CommandLine(new Main()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
        return new CliRun(exitCode, out.toString(), err.toString());
    }
}
