package dev.kassa.ledger.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.kassa.ledger.Fixtures;
import dev.kassa.ledger.LedgerBatch;
import dev.kassa.ledger.LedgerScenario;
import dev.kassa.ledger.TestPostgres;
import dev.kassa.ledger.postgres.LedgerWriter;
import dev.kassa.model.DeclineCode;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentEvent;
import dev.kassa.testing.LedgerSql;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
class LedgerVerifierIT {

    private final LedgerScenario scenario = new LedgerScenario();
    private HikariDataSource pool;
    private LedgerSql sql;
    private LedgerVerifier verifier;

    @BeforeEach
    void goodLedger() throws SQLException {
        pool = TestPostgres.migratedDatabase();
        sql = new LedgerSql(pool);
        verifier = new LedgerVerifier(pool, Duration.ZERO, 5);
        new LedgerWriter(pool, "kassa-ledger-sink").write(LedgerBatch.of(scenario.records(), Fixtures.nothingStored()));
    }

    @AfterEach
    void closePool() {
        pool.close();
    }

    @Test
    void ledgerWrittenByTheSinkBreaksNoInvariant() throws SQLException {
        List<InvariantResult> results = verifier.verify();

        assertThat(results).hasSize(17).allSatisfy(result -> assertThat(result.holds()).as(result.toString()).isTrue());
        assertThat(LedgerVerifier.allHold(results)).isTrue();
    }

    @Test
    void balanceChangedBehindTheLedgersBackIsReported() throws SQLException {
        sql.commit("UPDATE accounts SET balance = balance + 1 WHERE id = '" + scenario.bob + "'");

        Map<String, InvariantResult> results = byName(verifier.verify());

        assertThat(results.get("balance_equals_sum_of_entries").violations()).isEqualTo(1);
        assertThat(results.get("balance_equals_sum_of_entries").sampleIds()).containsExactly(scenario.bob);
        assertThat(violated(results)).containsExactly("balance_equals_sum_of_entries");
    }

    @Test
    void negativeBalanceOfAMerchantAccountIsReportedWhateverItsFlag() throws SQLException {
        // The flag is corrupted too, so only the verifier's own rule (by account id) can see it.
        sql.commit("UPDATE accounts SET allow_negative = true, balance = -1 WHERE id = '" + scenario.bob + "'");

        Map<String, InvariantResult> results = byName(verifier.verify());

        assertThat(results.get("no_negative_balance_outside_external").sampleIds()).containsExactly(scenario.bob);
        assertThat(results.get("no_negative_balance_outside_external").violations()).isEqualTo(1);
    }

    @Test
    void unbalancedAndDuplicatedEntriesAreReported() throws SQLException {
        // The database trigger would refuse these rows; a superuser can switch triggers off, and the
        // verifier must not depend on the trigger having run.
        String day = "date '2001-01-01'";
        String txn = scenario.paymentCompleted.eventId();
        sql.commit("SET LOCAL session_replication_role = replica",
                "INSERT INTO ledger_entries VALUES ('txn_half', 0, current_date, '" + scenario.payment.id() + "', '"
                        + scenario.bob + "', 3, 'usd', now())",
                "INSERT INTO ledger_entries VALUES ('" + txn + "', 0, " + day + ", '" + scenario.payment.id() + "', '"
                        + scenario.alice + "', -2500, 'usd', now()), ('" + txn + "', 1, " + day + ", '"
                        + scenario.payment.id() + "', '" + scenario.bob + "', 2500, 'usd', now())");

        Map<String, InvariantResult> results = byName(verifier.verify());

        assertThat(results.get("transaction_sums_to_zero").sampleIds()).containsExactly("txn_half");
        assertThat(results.get("entries_sum_to_zero_per_currency").sampleIds()).containsExactly("usd");
        assertThat(results.get("no_duplicate_entries").violations()).isEqualTo(2);
        assertThat(results.get("completed_payment_has_two_entries").sampleIds()).containsExactly(scenario.payment.id());
        assertThat(results.get("balance_equals_sum_of_entries").sampleIds())
                .containsExactlyInAnyOrder(scenario.alice, scenario.bob);
    }

    @Test
    void paymentShapesBreakingInvariantThreeAreReported() throws SQLException {
        // A failed payment that moved money, a completed one that did not, a payment recorded twice,
        // one stuck pending, and a second payment for one idempotency key.
        sql.commit("UPDATE payments SET status = 'failed', failure_code = 'fraud_blocked' WHERE id = '" + scenario.payment.id() + "'",
                "UPDATE payments SET status = 'completed', failure_code = NULL WHERE id = '" + scenario.refused.id() + "'",
                "INSERT INTO payments SELECT id, created_on + 1, merchant_id, idempotency_key, kind, 'pending', amount,"
                        + " currency, source, destination, 0, description, metadata, fraud, NULL, created, now() - interval '1 minute', 1"
                        + " FROM payments WHERE id = '" + scenario.deposit.id() + "'");

        Map<String, InvariantResult> results = byName(verifier.verify());

        assertThat(results.get("failed_payment_has_no_entries").sampleIds()).containsExactly(scenario.payment.id());
        assertThat(results.get("completed_payment_has_two_entries").sampleIds()).containsExactly(scenario.refused.id());
        assertThat(results.get("payment_recorded_once").sampleIds()).containsExactly(scenario.deposit.id());
        assertThat(results.get("payment_settled").sampleIds()).containsExactly(scenario.deposit.id());
        assertThat(results.get("idempotency_key_used_once").violations()).isZero(); // same payment id twice, one key
        assertThat(new LedgerVerifier(pool).verify()).filteredOn(r -> r.invariant().equals("payment_settled"))
                .singleElement().matches(InvariantResult::holds, "within the default grace");
    }

    @Test
    void aCardPaymentWaitingForItsProcessorIsNotAnUnsettledPayment() throws SQLException {
        // A card payment held for review stays pending until the processor decides, for days perhaps;
        // reconciliation, not verify, reports it once the processor has settled it. A deposit pending as
        // long is still reported.
        sql.commit("INSERT INTO payments SELECT 'pay_review', created_on, merchant_id, 'review-1', 'card', 'pending',"
                        + " amount, currency, source, destination, 0, description, metadata, fraud, NULL, created,"
                        + " now() - interval '1 day', 1 FROM payments WHERE id = '" + scenario.deposit.id() + "'",
                "INSERT INTO payments SELECT 'pay_stuck', created_on, merchant_id, 'stuck-1', kind, 'pending',"
                        + " amount, currency, source, destination, 0, description, metadata, fraud, NULL, created,"
                        + " now() - interval '1 day', 1 FROM payments WHERE id = '" + scenario.deposit.id() + "'");

        assertThat(byName(verifier.verify()).get("payment_settled").sampleIds()).containsExactly("pay_stuck");
    }

    @Test
    void secondPaymentForOneIdempotencyKeyIsReported() throws SQLException {
        sql.commit("INSERT INTO payments SELECT 'pay_copy', created_on, merchant_id, idempotency_key, kind, status, amount,"
                + " currency, source, destination, 0, description, metadata, fraud, failure_code, created, updated, 3"
                + " FROM payments WHERE id = '" + scenario.refused.id() + "'");

        Map<String, InvariantResult> results = byName(verifier.verify());

        assertThat(results.get("idempotency_key_used_once").sampleIds())
                .containsExactly(Fixtures.MERCHANT + ":" + scenario.refused.idempotencyKey());
    }

    @Test
    void keyReusedAfterEveryLineForgotItIsNoViolation() throws SQLException {
        // A key may name a new payment once it has expired (24 h at least), as with Stripe.
        sql.commit("INSERT INTO payments SELECT 'pay_later', created_on + 2, merchant_id, idempotency_key, kind, status,"
                + " amount, currency, source, destination, 0, description, metadata, fraud, failure_code,"
                + " created + interval '25 hours', updated + interval '25 hours', 3"
                + " FROM payments WHERE id = '" + scenario.refused.id() + "'");

        Map<String, InvariantResult> results = byName(verifier.verify());

        assertThat(results.get("idempotency_key_used_once").violations()).isZero();
    }

    @Test
    void refundsWrittenByTheSinkKeepInvariantFourAndAmountRefundedTracksThem() throws SQLException {
        // Plan: refund 1,000 of the 2,500 payment, then 2,000 (refused: only 1,500 left), then 1,500, all
        // through the writer; Postgres must show the refunds, the payment refunded with 2,500, Bob back
        // at 0 and Alice at the deposit, and every invariant holding. Then corrupt amount_refunded and a
        // refund's amount behind the ledger's back: invariant 4's checks must name the payment.
        Payment completed = scenario.paymentCompleted.payment();
        List<PaymentEvent> first = Fixtures.refund(completed, 1_000, 3, null, scenario.at.plusMillis(10));
        Payment afterFirst = first.get(1).payment();
        List<PaymentEvent> refused = Fixtures.refund(afterFirst, 2_000, 5, DeclineCode.REFUND_EXCEEDS_PAYMENT,
                scenario.at.plusMillis(11));
        List<PaymentEvent> rest = Fixtures.refund(afterFirst, 1_500, 7, null, scenario.at.plusMillis(12));
        List<PaymentEvent> refundEvents = new ArrayList<>(first);
        refundEvents.addAll(refused);
        refundEvents.addAll(rest);
        long written = Stream.of(scenario.events()).filter(PaymentEvent.class::isInstance).count();
        new LedgerWriter(pool, "kassa-ledger-sink").write(LedgerBatch.of(
                Fixtures.records(Map.of(Fixtures.PAYMENTS_0, written), refundEvents.toArray()),
                Map.of(Fixtures.PAYMENTS_0, OptionalLong.of(written))));

        assertThat(sql.count("SELECT count(*) FROM refunds WHERE status = 'completed'")).isEqualTo(2);
        assertThat(sql.count("SELECT count(*) FROM refunds WHERE status = 'failed'"
                + " AND failure_code = 'refund_exceeds_payment'")).isEqualTo(1);
        assertThat(sql.count("SELECT amount_refunded FROM payments WHERE id = ? AND status = 'refunded'",
                completed.id())).isEqualTo(LedgerScenario.PAYMENT);
        assertThat(sql.count("SELECT balance FROM accounts WHERE id = ?", scenario.bob)).isZero();
        assertThat(sql.count("SELECT balance FROM accounts WHERE id = ?", scenario.alice))
                .isEqualTo(LedgerScenario.DEPOSIT);
        assertThat(verifier.verify()).allSatisfy(result -> assertThat(result.holds()).as(result.toString()).isTrue());

        sql.commit("UPDATE payments SET amount_refunded = 2000, status = 'partially_refunded' WHERE id = '"
                + completed.id() + "'", "UPDATE refunds SET amount = 5000 WHERE status = 'completed' AND amount = 1000");
        Map<String, InvariantResult> results = byName(verifier.verify());

        assertThat(results.get("refunds_within_payment").sampleIds()).containsExactly(completed.id());
        assertThat(results.get("amount_refunded_equals_completed_refunds").sampleIds()).containsExactly(completed.id());
    }

    @Test
    void partitionWhoseBalanceCheckWasSwitchedOffIsReported() throws SQLException {
        sql.commit("ALTER TABLE ledger_entries_default DISABLE TRIGGER ledger_entries_balance_queued_insert",
                "ALTER TABLE ledger_balance_checks DISABLE TRIGGER ledger_balance_checks_at_commit");

        Map<String, InvariantResult> results = byName(verifier.verify());

        assertThat(results.get("balance_check_on_every_partition").sampleIds())
                .containsExactlyInAnyOrder("ledger_entries_default", "ledger_balance_checks");
    }

    private static Map<String, InvariantResult> byName(List<InvariantResult> results) {
        return results.stream().collect(Collectors.toMap(InvariantResult::invariant, r -> r));
    }

    private static List<String> violated(Map<String, InvariantResult> results) {
        return results.values().stream().filter(r -> !r.holds()).map(InvariantResult::invariant).sorted().toList();
    }
}
