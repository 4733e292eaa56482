package dev.kassa.app.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kassa.app.connector.CardConnector;
import dev.kassa.model.CardChargeResult;
import dev.kassa.model.Ids;
import dev.kassa.model.ReconciliationResult;
import dev.kassa.model.Topics;
import dev.kassa.runtime.EmbeddedRuntime;
import dev.kassa.testing.CommittedRecords;
import dev.kassa.testing.DedicatedRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The lost response settled by reconciliation (docs/architecture.md, Reconciliation): the sandbox
 * charges a card and drops its answer, the connector is stopped before it retries, so the payment
 * stays processing; {@code kassa reconcile}, a process of its own, completes it through the topology,
 * once, also when it is killed with SIGKILL after publishing the completion and run again. Every test
 * leaves nothing open, so the two share the runtime, the services and the sandbox.
 */
@Tag("integration")
@ExtendWith(DedicatedRuntime.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReconcileCrashIT {

    private static final Duration WAIT = Duration.ofMinutes(2);
    /** Longer than any test: a connector with this backoff never retries before it is stopped. */
    private static final Duration NO_RETRY_BACKOFF = Duration.ofMinutes(1);

    private CardBench bench;
    private String account;

    /** The runtime comes to this method, not the constructor: a per-class instance is made before it starts. */
    @BeforeAll
    void start(EmbeddedRuntime runtime) throws Exception {
        bench = new CardBench(runtime, Files.createTempDirectory("kassa-reconcile-crash-"), "[ReconcileCrashIT]");
        account = bench.openAccount();
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (bench != null) {
            bench.close();
        }
    }

    @Test
    void lostResponseIsCompletedOnceThroughTheTopologyAndASecondRunChangesNothing() throws Exception {
        // Plan: the sandbox makes a charge of 1500 and drops its answer; the connector, waiting a minute to
        // retry, is stopped: the payment stays processing (pending in Postgres). kassa reconcile must exit 0,
        // with the payment completed by the topology (two ledger rows: clearing -1500, the account +1500)
        // and its item completed_by_reconciliation, resolved. A new connector then makes the charge again
        // with the same key and publishes the sandbox's answer: a second result for the payment, which the
        // topology's card-payments store drops. A second reconcile must exit 0, publish no item and leave
        // every item row as it was; kassa ledger verify must pass.
        long before = balance(account);
        String paymentId = lostResponse(1_500);
        String chargeId = bench.charges(paymentId).get(0).id();

        assertNothingOpen(bench.reconcile(CardBench.today()));
        assertCompletedOnce(paymentId, 1_500, before);
        assertThat(bench.items(CardBench.today())).filteredOn(row -> row.get(0).equals(chargeId))
                .extracting(row -> row.subList(1, 6))
                .containsExactly(List.of("completed_by_reconciliation", "resolved", paymentId, "1500", "1500"));

        try (CardConnector connector = bench.connector(Duration.ofMillis(100))) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(results(paymentId)).hasSize(2));
        }
        List<List<String>> items = bench.items(CardBench.today());
        long published = itemRecords(CardBench.today());

        assertNothingOpen(bench.reconcile(CardBench.today()));
        assertThat(bench.items(CardBench.today())).isEqualTo(items);
        assertThat(itemRecords(CardBench.today())).isEqualTo(published);
        assertCompletedOnce(paymentId, 1_500, before);
        assertThat(bench.charges(paymentId)).hasSize(1);
        assertLedgerVerifies();
    }

    @Test
    void reconcileKilledAfterPublishingACompletionCompletesThePaymentOnceWhenRunAgain() throws Exception {
        // Plan: a lost response as above (2500). kassa reconcile runs until it has published the completion,
        // then is killed with SIGKILL before it records anything: no item of the charge in Postgres. Run
        // again, it must exit 0 with nothing open; the payment must be completed once (two ledger rows, the
        // account +2500), whether the second run found it completed or published the answer again, and
        // kassa ledger verify must pass.
        long before = balance(account);
        String paymentId = lostResponse(2_500);
        String chargeId = bench.charges(paymentId).get(0).id();

        KassaProcess killed = bench.startReconcile(CardBench.today(), "--test-hold-after-completions");
        killed.awaitLine("completions published for [" + paymentId + "]", WAIT);
        killed.killAndAwaitExit(WAIT);

        assertThat(bench.items(CardBench.today())).noneMatch(row -> row.get(0).equals(chargeId));
        assertThat(results(paymentId)).hasSize(1);
        assertNothingOpen(bench.reconcile(CardBench.today()));
        assertCompletedOnce(paymentId, 2_500, before);
        assertThat(bench.items(CardBench.today())).filteredOn(row -> row.get(0).equals(chargeId))
                .extracting(row -> row.get(2)).containsExactly("resolved");
        assertLedgerVerifies();
    }

    private static void assertNothingOpen(CardBench.Reconciled run) {
        assertThat(run.exitCode()).as(run.output()).isEqualTo(0);
        assertThat(run.output()).contains("nothing open");
    }

    /** The payment completed, booked by two ledger rows, and the account credited its amount once since {@code before}. */
    private void assertCompletedOnce(String paymentId, long amount, long before) {
        bench.awaitStatus(paymentId, "completed");
        assertBookedOnce(paymentId, amount);
        assertThat(balance(account)).isEqualTo(before + amount);
    }

    private void assertLedgerVerifies() throws InterruptedException {
        KassaServices.Verification verification = bench.services().verifyLedger();
        assertThat(verification.passed()).as("kassa ledger verify:%n%s", verification.output()).isTrue();
    }

    /**
     * A card payment of {@code amount} whose charge the sandbox made and whose answer it dropped, with
     * the connector stopped before its retry: the payment is processing (pending) in Postgres.
     */
    private String lostResponse(long amount) throws Exception {
        bench.faults("{\"drop_after_commit_rate\": \"1\"}");
        String paymentId;
        try (CardConnector connector = bench.connector(NO_RETRY_BACKOFF)) {
            paymentId = bench.pay(account, amount);
            assertThat(bench.awaitCharged(paymentId)).hasSize(1);
        } finally {
            bench.faults("{}");
        }
        bench.awaitStatus(paymentId, "pending");
        assertThat(results(paymentId)).isEmpty();
        return paymentId;
    }

    private void assertBookedOnce(String paymentId, long amount) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(bench.ledger().query(
                "SELECT account_id, amount::text FROM ledger_entries WHERE payment_id = ? ORDER BY amount", paymentId))
                .containsExactly(List.of(Ids.cardClearingAccount("usd"), Long.toString(-amount)),
                        List.of(account, Long.toString(amount))));
    }

    private long balance(String accountId) {
        return Long.parseLong(bench.ledger().one("SELECT balance::text FROM accounts WHERE id = ?", accountId));
    }

    /** The answers published for the payment on card.results, by the connector or by reconciliation. */
    private List<CardChargeResult> results(String paymentId) {
        return CommittedRecords.readAll(bench.bootstrapServers(), Topics.CARD_RESULTS).stream()
                .map(ConsumerRecord::value).filter(result -> result.paymentId().equals(paymentId)).toList();
    }

    /** How many item records (not run summaries) reconciliation.results holds for {@code day}. */
    private long itemRecords(LocalDate day) {
        return CommittedRecords.readAll(bench.bootstrapServers(), Topics.RECONCILIATION_RESULTS).stream()
                .filter(record -> record.key().equals(day.toString()))
                .filter(record -> record.value().type() == ReconciliationResult.Type.ITEM).count();
    }
}
