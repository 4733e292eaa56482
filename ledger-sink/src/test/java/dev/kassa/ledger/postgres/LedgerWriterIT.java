package dev.kassa.ledger.postgres;

import static dev.kassa.ledger.Fixtures.ACCOUNTS_0;
import static dev.kassa.ledger.Fixtures.PAYMENTS_0;
import static dev.kassa.ledger.Fixtures.PAYMENTS_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.kassa.ledger.DeadLetterRecord;
import dev.kassa.ledger.Fixtures;
import dev.kassa.ledger.LedgerBatch;
import dev.kassa.ledger.LedgerRecord;
import dev.kassa.ledger.LedgerScenario;
import dev.kassa.ledger.PaymentEventRecord;
import dev.kassa.ledger.TestPostgres;
import dev.kassa.ledger.verify.InvariantResult;
import dev.kassa.ledger.verify.LedgerVerifier;
import dev.kassa.model.Ids;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentEvent;
import dev.kassa.model.PaymentKind;
import dev.kassa.testing.LedgerSql;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
class LedgerWriterIT {

    private static final String GROUP = "kassa-ledger-sink";

    private HikariDataSource pool;
    private LedgerSql sql;
    private LedgerWriter writer;
    private final LedgerScenario scenario = new LedgerScenario();

    @BeforeEach
    void freshLedger() {
        pool = TestPostgres.migratedDatabase();
        sql = new LedgerSql(pool);
        writer = new LedgerWriter(pool, GROUP);
    }

    @AfterEach
    void closePool() {
        pool.close();
    }

    @Test
    void batchWritesAccountsPaymentsEntriesBalancesAndOffsetsTogether() throws SQLException {
        // Plan: write the reference day as one batch; read back every table and compare with the
        // scenario's hand-computed oracle, then let the verifier confirm invariant 2 holds.
        WriteResult result = writer.write(LedgerBatch.of(scenario.records(), Fixtures.nothingStored()));

        assertThat(result).isEqualTo(new WriteResult(8, 0, 4, 0));
        assertThat(sql.map("SELECT id, balance FROM accounts")).isEqualTo(scenario.expectedBalances());
        assertThat(sql.query("SELECT merchant_id, allow_negative, currency FROM accounts WHERE id = ?", scenario.external))
                .containsExactly(List.of("platform", "t", "usd"));
        assertThat(sql.map("SELECT id, status FROM payments")).isEqualTo(Map.of(
                scenario.deposit.id(), "completed", scenario.payment.id(), "completed", scenario.refused.id(), "failed"));
        assertThat(sql.one("SELECT failure_code FROM payments WHERE id = ?", scenario.refused.id()))
                .isEqualTo("insufficient_funds");
        assertThat(sql.one("SELECT created_on FROM payments WHERE id = ?", scenario.payment.id()))
                .isEqualTo(java.time.LocalDate.ofInstant(scenario.payment.created(), java.time.ZoneOffset.UTC).toString());
        assertThat(sql.query("SELECT transaction_id, entry_index, account_id, amount FROM ledger_entries"
                + " WHERE payment_id = ? ORDER BY entry_index", scenario.payment.id())).containsExactly(
                List.of(scenario.paymentCompleted.eventId(), "0", scenario.alice, "-2500"),
                List.of(scenario.paymentCompleted.eventId(), "1", scenario.bob, "2500"));
        assertThat(sql.count("SELECT count(*) FROM applied_events")).isEqualTo(8);
        assertThat(storedOffsets()).isEqualTo(Map.of("accounts.events/0", "2", "payments.events/0", "6"));
        assertThat(LedgerVerifier.allHold(new LedgerVerifier(pool, Duration.ZERO, 10).verify())).isTrue();
    }

    @Test
    void paymentPublishedOnlyByItsCompletionAtSequenceOneGetsItsRowEntriesAndKey() throws SQLException {
        // Plan: a payment or deposit decided in the transaction that took its command is published once,
        // by its outcome at sequence 1 (docs/events.md, "Ordering"): no PaymentInitiated precedes it.
        // Write the accounts, then the deposit and the payment each as its completion at 1 only. Each
        // must get its payment row (completed, at sequence 1), its two ledger entries under its event's
        // id, and its idempotency key with the request's fingerprint, since its first event is this one;
        // the balances must be the scenario's oracle.
        PaymentEvent depositCompleted = Fixtures.completedAtOnce(scenario.deposit, scenario.at.plusMillis(5));
        PaymentEvent paymentCompleted = Fixtures.completedAtOnce(scenario.payment, scenario.at.plusMillis(6));

        WriteResult result = writer.write(LedgerBatch.of(Fixtures.records(Map.of(), scenario.aliceOpened,
                scenario.bobOpened, depositCompleted, paymentCompleted), Fixtures.nothingStored()));

        assertThat(result).isEqualTo(new WriteResult(4, 0, 4, 0));
        assertThat(sql.query("SELECT id, status, last_event_sequence FROM payments")).containsExactlyInAnyOrder(
                List.of(scenario.deposit.id(), "completed", "1"), List.of(scenario.payment.id(), "completed", "1"));
        assertThat(sql.query("SELECT transaction_id, entry_index, account_id, amount FROM ledger_entries"
                + " WHERE payment_id = ? ORDER BY entry_index", scenario.payment.id())).containsExactly(
                List.of(paymentCompleted.eventId(), "0", scenario.alice, Long.toString(-LedgerScenario.PAYMENT)),
                List.of(paymentCompleted.eventId(), "1", scenario.bob, Long.toString(LedgerScenario.PAYMENT)));
        assertThat(sql.count("SELECT count(*) FROM ledger_entries WHERE payment_id = ?", scenario.deposit.id()))
                .isEqualTo(2);
        assertThat(sql.query("SELECT merchant_id, idempotency_key, payment_id, request_fingerprint FROM idempotency_keys"))
                .containsExactlyInAnyOrder(
                        List.of(Fixtures.MERCHANT, scenario.deposit.idempotencyKey(), scenario.deposit.id(),
                                scenario.deposit.requestFingerprint()),
                        List.of(Fixtures.MERCHANT, scenario.payment.idempotencyKey(), scenario.payment.id(),
                                scenario.payment.requestFingerprint()));
        assertThat(sql.map("SELECT id, balance FROM accounts")).isEqualTo(scenario.expectedBalances());
        assertThat(LedgerVerifier.allHold(new LedgerVerifier(pool, Duration.ZERO, 10).verify())).isTrue();
    }

    @Test
    void replayedBatchIsFencedAndDoublesNothing() throws SQLException {
        // Plan: commit a batch, then write the very same batch again, as a sink that lost its
        // partitions to another instance would. The offsets no longer match: it must fail whole.
        LedgerBatch batch = LedgerBatch.of(scenario.records(), Fixtures.nothingStored());
        writer.write(batch);

        assertThatThrownBy(() -> writer.write(batch)).isInstanceOf(OffsetFencedException.class);

        assertThat(sql.count("SELECT count(*) FROM ledger_entries")).isEqualTo(4);
        assertThat(sql.map("SELECT id, balance FROM accounts")).isEqualTo(scenario.expectedBalances());
        assertThat(storedOffsets()).isEqualTo(Map.of("accounts.events/0", "2", "payments.events/0", "6"));
    }

    @Test
    void eventsPublishedTwiceAreAppliedOnce() throws SQLException {
        // Plan: the same events appear again at later offsets (a duplicate publish). The offsets
        // fence passes, so only applied_events stands between them and a double booking.
        writer.write(LedgerBatch.of(scenario.records(), Fixtures.nothingStored()));
        List<LedgerRecord> again = Fixtures.records(Map.of(ACCOUNTS_0, 2L, PAYMENTS_0, 6L), scenario.events());

        WriteResult result = writer.write(LedgerBatch.of(again, writer.storedOffsets(List.of(ACCOUNTS_0, PAYMENTS_0))));

        assertThat(result).isEqualTo(new WriteResult(0, 8, 0, 0));
        assertThat(sql.count("SELECT count(*) FROM ledger_entries")).isEqualTo(4);
        assertThat(sql.map("SELECT id, balance FROM accounts")).isEqualTo(scenario.expectedBalances());
        assertThat(storedOffsets()).isEqualTo(Map.of("accounts.events/0", "4", "payments.events/0", "12"));
    }

    @Test
    void unbalancedEventBecomesADeadLetterAndTheRestOfItsBatchIsWritten() throws SQLException {
        // Plan: one batch opens two accounts, deposits into alice, and then holds a payment from alice
        // to bob whose completion credits bob one unit more than it debits alice (read with bytes of
        // its own), followed by a refused payment. The first attempt fails just before commit and is
        // retried, as the sink would: both attempts must set the same event aside. What must commit:
        // the completion as a dead letter with its reason and exactly its bytes, everything else
        // booked as if it were absent (oracle: the deposit only), and offsets past the whole batch.
        PaymentEvent unbalanced = Fixtures.unbalancedCompletion(scenario.payment, scenario.at.plusMillis(6));
        byte[] key = scenario.payment.id().getBytes(StandardCharsets.UTF_8);
        byte[] value = ("{\"eventId\": \"" + unbalanced.eventId() + "\", \"read\": \"from the log\"}")
                .getBytes(StandardCharsets.UTF_8);
        List<LedgerRecord> records = new ArrayList<>(Fixtures.records(Map.of(), scenario.aliceOpened,
                scenario.bobOpened, scenario.depositInitiated, scenario.depositCompleted, scenario.paymentInitiated));
        records.add(new PaymentEventRecord(PAYMENTS_0, 3, unbalanced, key, value));
        records.addAll(Fixtures.records(Map.of(PAYMENTS_0, 4L), scenario.refusedInitiated, scenario.refusedFailed));
        LedgerBatch batch = LedgerBatch.of(records, Fixtures.nothingStored());
        LedgerWriter crashing = new LedgerWriter(pool, GROUP, b -> {
            throw new SQLException("injected crash before commit");
        });

        assertThatThrownBy(() -> crashing.write(batch)).hasMessageContaining("injected");
        WriteResult result = writer.write(batch);

        assertThat(result).isEqualTo(new WriteResult(7, 0, 2, 1));
        assertThat(sql.query("SELECT topic, partition, record_offset, reason, encode(raw_key, 'escape'),"
                + " encode(raw_value, 'escape'), published_at IS NULL FROM dead_letters"))
                .containsExactly(List.of("payments.events", "0", "3",
                        "ledger transaction " + unbalanced.eventId() + " does not sum to zero in usd: +1",
                        scenario.payment.id(), new String(value, StandardCharsets.UTF_8), "t"));
        assertThat(sql.count("SELECT count(*) FROM applied_events WHERE event_id = ?", unbalanced.eventId())).isZero();
        assertThat(sql.count("SELECT count(*) FROM ledger_entries WHERE transaction_id = ?", unbalanced.eventId()))
                .isZero();
        assertThat(sql.query("SELECT status FROM payments WHERE id = ?", scenario.payment.id()))
                .containsExactly(List.of("pending"));
        assertThat(sql.map("SELECT id, balance FROM accounts")).isEqualTo(Map.of(
                scenario.alice, Long.toString(LedgerScenario.DEPOSIT), scenario.bob, "0",
                scenario.external, Long.toString(-LedgerScenario.DEPOSIT)));
        assertThat(storedOffsets()).isEqualTo(Map.of("accounts.events/0", "2", "payments.events/0", "6"));
    }

    @Test
    void databaseRejectsAnUnbalancedTransactionInsertedBySql() {
        // Plan: bypass the sink and insert one leg by hand; the deferred trigger must refuse it at
        // commit, in today's partition and in the default one alike.
        for (String day : List.of("current_date", "date '1999-01-01'")) {
            assertThatThrownBy(() -> sql.commit("INSERT INTO ledger_entries VALUES ('txn_raw', 0, " + day
                    + ", 'pay_raw', 'acct_a', 100, 'usd', now())"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("ledger transaction txn_raw does not sum to zero in usd")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23514"));
        }
        assertThat(sql.count("SELECT count(*) FROM ledger_entries")).isZero();
    }

    @Test
    void olderEventNeverOverwritesANewerPaymentState() throws SQLException {
        // Plan: the completion is written first, the initiation arrives in a later batch (a replay
        // from another source). The row must stay completed at sequence 2.
        Payment payment = scenario.deposit;
        writer.write(LedgerBatch.of(Fixtures.records(Map.of(), scenario.aliceOpened, scenario.depositCompleted),
                Fixtures.nothingStored()));
        List<LedgerRecord> late = Fixtures.records(Map.of(PAYMENTS_0, 1L), scenario.depositInitiated);

        writer.write(LedgerBatch.of(late, writer.storedOffsets(List.of(PAYMENTS_0))));

        assertThat(sql.query("SELECT status, last_event_sequence FROM payments WHERE id = ?", payment.id()))
                .containsExactly(List.of("completed", "2"));
    }

    @Test
    void batchOfNewPaymentsAndLaterEventsOfWrittenOnesEndsEachRowAtItsNewestSequence() throws SQLException {
        // Plan: new payment rows are copied and rows already in the table go through the guarded upsert
        // (LedgerStatements.upsertPayments); the second batch here needs both. The first batch funds
        // Alice, initiates one payment (pending at 1) and completes another at 2 whose initiation only
        // comes later (a replay from another source). The second holds that payment's completion (newer
        // than its row: applied), the other's late initiation (older than its row: the row must not
        // move, not even its updated time), a new payment whose completion precedes its initiation in
        // the batch, one in the usual order (each completed at 2, whatever the order), and one completed
        // at once (at 1). Balances against the hand-computed sums; the ledger must pass verify.
        Instant at = scenario.at;
        Payment early = Fixtures.pending(PaymentKind.PAYMENT, 100, "usd", scenario.alice, scenario.bob, at);
        Payment replayed = Fixtures.pending(PaymentKind.PAYMENT, 200, "usd", scenario.alice, scenario.bob, at);
        Payment reversed = Fixtures.pending(PaymentKind.PAYMENT, 300, "usd", scenario.alice, scenario.bob, at);
        Payment ordered = Fixtures.pending(PaymentKind.PAYMENT, 400, "usd", scenario.alice, scenario.bob, at);
        Payment atOnce = Fixtures.pending(PaymentKind.PAYMENT, 500, "usd", scenario.alice, scenario.bob, at);
        writer.write(LedgerBatch.of(Fixtures.records(Map.of(), scenario.aliceOpened, scenario.bobOpened,
                scenario.depositInitiated, scenario.depositCompleted, Fixtures.initiated(early, at.plusMillis(10)),
                Fixtures.completed(replayed, at.plusMillis(11))), Fixtures.nothingStored()));
        String replayedUpdated = sql.one("SELECT updated FROM payments WHERE id = ?", replayed.id());
        List<LedgerRecord> second = Fixtures.records(Map.of(PAYMENTS_0, 4L),
                Fixtures.completed(early, at.plusMillis(20)), Fixtures.initiated(replayed, at.plusMillis(21)),
                Fixtures.completed(reversed, at.plusMillis(23)), Fixtures.initiated(reversed, at.plusMillis(22)),
                Fixtures.initiated(ordered, at.plusMillis(24)), Fixtures.completed(ordered, at.plusMillis(25)),
                Fixtures.completedAtOnce(atOnce, at.plusMillis(26)));

        WriteResult result = writer.write(LedgerBatch.of(second, writer.storedOffsets(List.of(PAYMENTS_0))));

        assertThat(result).isEqualTo(new WriteResult(7, 0, 8, 0));
        assertThat(sql.query("SELECT id, status, last_event_sequence FROM payments WHERE kind = 'payment'"))
                .containsExactlyInAnyOrder(List.of(early.id(), "completed", "2"),
                        List.of(replayed.id(), "completed", "2"), List.of(reversed.id(), "completed", "2"),
                        List.of(ordered.id(), "completed", "2"), List.of(atOnce.id(), "completed", "1"));
        assertThat(sql.one("SELECT updated FROM payments WHERE id = ?", replayed.id())).isEqualTo(replayedUpdated);
        assertThat(sql.one("SELECT description FROM payments WHERE id = ?", reversed.id())).isEqualTo(reversed.description());
        long paid = 100 + 200 + 300 + 400 + 500;
        assertThat(sql.map("SELECT id, balance FROM accounts")).isEqualTo(Map.of(
                scenario.alice, Long.toString(LedgerScenario.DEPOSIT - paid), scenario.bob, Long.toString(paid),
                scenario.external, Long.toString(-LedgerScenario.DEPOSIT)));
        assertThat(LedgerVerifier.allHold(new LedgerVerifier(pool, Duration.ZERO, 10).verify())).isTrue();
    }

    @Test
    void paymentRowAppearingBetweenTheExistenceQueryAndTheCopyRollsTheBatchBackAndItsRetryAppliesIt() throws Exception {
        // Plan: new payment rows go in by COPY after one query asked which rows exist
        // (LedgerStatements.upsertPayments); COPY has no ON CONFLICT. Here another transaction (a writer
        // that should not hold the partition, an operator) inserts the payment's row, pending at
        // sequence 1, and holds it uncommitted: the sink's existence query cannot see it, so its COPY
        // takes the row as new and waits on the primary key. Once the other commits, the COPY must fail
        // and the batch roll back whole: no entries, no balance moved, no applied event, offsets where
        // they were. The retry from the same offsets must then find the row, move it to completed at 2
        // through the guarded upsert, and book the payment's two entries once.
        writer.write(LedgerBatch.of(Fixtures.records(Map.of(), scenario.aliceOpened, scenario.bobOpened,
                scenario.depositInitiated, scenario.depositCompleted), Fixtures.nothingStored()));
        Payment payment = Fixtures.pending(PaymentKind.PAYMENT, 100, "usd", scenario.alice, scenario.bob, scenario.at);
        Map<String, String> balancesBefore = sql.map("SELECT id, balance FROM accounts");
        LedgerBatch completion = LedgerBatch.of(Fixtures.records(Map.of(PAYMENTS_0, 2L),
                Fixtures.completed(payment, scenario.at.plusMillis(20))), writer.storedOffsets(List.of(PAYMENTS_0)));

        try (Connection other = pool.getConnection()) {
            other.setAutoCommit(false);
            LedgerStatements.upsertPayments(other, LedgerRows.of(Fixtures.records(Map.of(PAYMENTS_1, 0L),
                    Fixtures.initiated(payment, scenario.at.plusMillis(10)))).payments());
            CompletableFuture<WriteResult> racing = CompletableFuture.supplyAsync(() -> writeUnchecked(writer, completion));
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    sql.count("SELECT count(*) FROM pg_locks WHERE NOT granted") > 0);
            other.commit();

            assertThatThrownBy(() -> racing.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasRootCauseInstanceOf(SQLException.class)
                    .rootCause().satisfies(cause -> assertThat(((SQLException) cause).getSQLState()).isEqualTo("23505"));
        }
        assertThat(sql.count("SELECT count(*) FROM ledger_entries WHERE payment_id = ?", payment.id())).isZero();
        assertThat(sql.map("SELECT id, balance FROM accounts")).isEqualTo(balancesBefore);
        assertThat(sql.count("SELECT count(*) FROM applied_events")).isEqualTo(4);
        assertThat(storedOffsets()).isEqualTo(Map.of("accounts.events/0", "2", "payments.events/0", "2"));
        assertThat(sql.query("SELECT status, last_event_sequence FROM payments WHERE id = ?", payment.id()))
                .containsExactly(List.of("pending", "1"));

        WriteResult retried = writer.write(completion);

        assertThat(retried).isEqualTo(new WriteResult(1, 0, 2, 0));
        assertThat(sql.query("SELECT status, last_event_sequence FROM payments WHERE id = ?", payment.id()))
                .containsExactly(List.of("completed", "2"));
        assertThat(sql.count("SELECT count(*) FROM ledger_entries WHERE payment_id = ?", payment.id())).isEqualTo(2);
        assertThat(sql.map("SELECT id, balance FROM accounts")).isEqualTo(Map.of(
                scenario.alice, Long.toString(LedgerScenario.DEPOSIT - 100), scenario.bob, "100",
                scenario.external, Long.toString(-LedgerScenario.DEPOSIT)));
        assertThat(storedOffsets()).isEqualTo(Map.of("accounts.events/0", "2", "payments.events/0", "3"));
        assertThat(LedgerVerifier.allHold(new LedgerVerifier(pool, Duration.ZERO, 10).verify())).isTrue();
    }

    @Test
    void undecodableRecordsAreKeptAsDeadLettersAndPassedOver() throws SQLException {
        byte[] garbage = {'{', 0, 1, 2};
        List<LedgerRecord> records = new ArrayList<>(Fixtures.records(Map.of(), scenario.aliceOpened));
        records.add(new DeadLetterRecord(PAYMENTS_0, 0, "cannot read PaymentEvent", "k".getBytes(), garbage));

        WriteResult result = writer.write(LedgerBatch.of(records, Fixtures.nothingStored()));

        assertThat(result.deadLetters()).isEqualTo(1);
        assertThat(sql.query("SELECT topic, partition, record_offset, reason, encode(raw_value, 'hex') FROM dead_letters"))
                .containsExactly(List.of("payments.events", "0", "0", "cannot read PaymentEvent", "7b000102"));
        assertThat(storedOffsets()).containsEntry("payments.events/0", "1");
    }

    @Test
    void paymentReadAheadOfTheDepositThatFundedItIsAppliedAndSettlesWhenTheDepositArrives() throws SQLException {
        // Plan: draining a backlog, the sink reads payments.events partitions in whatever order the
        // consumer fetches them: alice's payment (partition 1) comes before the deposit that funded it
        // (partition 0). The topology had the deposit first, so both must apply; the mirrored balance
        // is below zero in between, which the verifier reports while it lasts, and exact afterwards.
        List<LedgerRecord> paymentFirst = new ArrayList<>(Fixtures.records(Map.of(), scenario.aliceOpened,
                scenario.bobOpened));
        paymentFirst.add(new PaymentEventRecord(PAYMENTS_1, 0, scenario.paymentInitiated));
        paymentFirst.add(new PaymentEventRecord(PAYMENTS_1, 1, scenario.paymentCompleted));
        writer.write(LedgerBatch.of(paymentFirst, Fixtures.nothingStored()));

        assertThat(sql.one("SELECT balance FROM accounts WHERE id = ?", scenario.alice))
                .isEqualTo(Long.toString(-LedgerScenario.PAYMENT));
        assertThat(new LedgerVerifier(pool, Duration.ZERO, 10).verify())
                .filteredOn(result -> !result.holds()).extracting(InvariantResult::invariant)
                .containsExactly("no_negative_balance_outside_external");

        List<LedgerRecord> deposit = Fixtures.records(Map.of(), scenario.depositInitiated, scenario.depositCompleted);
        writer.write(LedgerBatch.of(deposit, writer.storedOffsets(List.of(ACCOUNTS_0, PAYMENTS_0, PAYMENTS_1))));

        assertThat(sql.map("SELECT id, balance FROM accounts")).isEqualTo(scenario.expectedBalances());
        assertThat(sql.map("SELECT id, status FROM payments")).isEqualTo(Map.of(
                scenario.deposit.id(), "completed", scenario.payment.id(), "completed"));
        assertThat(LedgerVerifier.allHold(new LedgerVerifier(pool, Duration.ZERO, 10).verify())).isTrue();
    }

    @Test
    void entriesOnAccountsNotYetOpenedRollTheWholeBatchBack() {
        String ghost = Fixtures.accountId(scenario.at);
        Payment payment = Fixtures.pending(PaymentKind.PAYMENT, 100, "usd", ghost, scenario.bob, scenario.at);
        LedgerBatch batch = LedgerBatch.of(Fixtures.records(Map.of(), scenario.aliceOpened,
                Fixtures.completed(payment, scenario.at)), Fixtures.nothingStored());

        assertThatThrownBy(() -> writer.write(batch)).isInstanceOfSatisfying(UnopenedAccountsException.class,
                e -> assertThat(e.accountIds()).containsExactlyInAnyOrder(ghost, scenario.bob));

        assertThat(sql.count("SELECT count(*) FROM accounts")).isZero();
        assertThat(sql.count("SELECT count(*) FROM applied_events")).isZero();
        assertThat(sql.count("SELECT count(*) FROM sink_offsets")).isZero();
    }

    @Test
    void failureJustBeforeCommitLeavesNoTraceAndTheRetryWritesOnce() throws SQLException {
        // Plan: the writer fails after writing every row but before commit (a crash). Nothing may be
        // visible; the same batch, retried from the same stored offsets, then commits exactly once.
        LedgerBatch batch = LedgerBatch.of(scenario.records(), Fixtures.nothingStored());
        LedgerWriter crashing = new LedgerWriter(pool, GROUP, b -> {
            throw new SQLException("injected crash before commit");
        });

        assertThatThrownBy(() -> crashing.write(batch)).hasMessageContaining("injected");
        assertThat(sql.count("SELECT count(*) FROM ledger_entries")).isZero();
        assertThat(sql.count("SELECT count(*) FROM sink_offsets")).isZero();

        writer.write(batch);
        assertThat(sql.count("SELECT count(*) FROM ledger_entries")).isEqualTo(4);
        assertThat(sql.map("SELECT id, balance FROM accounts")).isEqualTo(scenario.expectedBalances());
    }

    @Test
    void twoWritersRacingForOnePartitionCommitOnce() throws Exception {
        // Plan: writer A holds its transaction open just before commit; writer B, a second sink
        // instance that read the same stored offsets, writes the same batch meanwhile. B must wait on
        // A's offset row and, once A commits, find the offset moved and roll back whole.
        LedgerBatch batch = LedgerBatch.of(scenario.records(), Fixtures.nothingStored());
        CountDownLatch inTransaction = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        LedgerWriter holding = new LedgerWriter(pool, GROUP, b -> {
            inTransaction.countDown();
            awaitQuietly(release);
        });
        CompletableFuture<WriteResult> first = CompletableFuture.supplyAsync(() -> writeUnchecked(holding, batch));
        assertThat(inTransaction.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<WriteResult> second = CompletableFuture.supplyAsync(() -> writeUnchecked(writer, batch));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                sql.count("SELECT count(*) FROM pg_locks WHERE NOT granted") > 0);

        release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(new WriteResult(8, 0, 4, 0));
        assertThatThrownBy(() -> second.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(OffsetFencedException.class);
        assertThat(sql.count("SELECT count(*) FROM ledger_entries")).isEqualTo(4);
        assertThat(sql.map("SELECT id, balance FROM accounts")).isEqualTo(scenario.expectedBalances());
    }

    @Test
    void largeBatchIsWrittenWithBatchedStatements() throws SQLException {
        // Plan: 1,500 deposits and 1,500 payments between 100 accounts in one batch; balances must
        // match a model computed here.
        List<Object> events = new ArrayList<>();
        List<String> accounts = new ArrayList<>();
        Map<String, Long> model = new java.util.HashMap<>();
        for (int i = 0; i < 100; i++) {
            String account = Fixtures.accountId(scenario.at);
            accounts.add(account);
            events.add(Fixtures.accountOpened(account, "usd", scenario.at));
        }
        for (int i = 0; i < 1_500; i++) {
            String to = accounts.get(i % 100);
            String from = accounts.get((i + 1) % 100);
            events.add(Fixtures.completed(Fixtures.pending(PaymentKind.DEPOSIT, 100, "usd", Ids.externalAccount("usd"), from, scenario.at), scenario.at));
            events.add(Fixtures.completed(Fixtures.pending(PaymentKind.PAYMENT, 7, "usd", from, to, scenario.at), scenario.at));
            model.merge(from, 100L - 7L, Long::sum);
            model.merge(to, 7L, Long::sum);
        }
        model.put(Ids.externalAccount("usd"), -150_000L);

        long started = System.nanoTime();
        WriteResult result = writer.write(LedgerBatch.of(Fixtures.records(Map.of(), events.toArray()), Fixtures.nothingStored()));
        long millis = (System.nanoTime() - started) / 1_000_000;

        System.out.println("large batch: " + result + " in " + millis + " ms");
        assertThat(result.entriesBooked()).isEqualTo(6_000);
        Map<String, String> expected = new java.util.HashMap<>();
        model.forEach((account, balance) -> expected.put(account, balance.toString()));
        assertThat(sql.map("SELECT id, balance FROM accounts")).isEqualTo(expected);
    }

    private Map<String, String> storedOffsets() {
        return sql.map("SELECT topic || '/' || partition, next_offset FROM sink_offsets WHERE consumer_group = ?", GROUP);
    }

    private static WriteResult writeUnchecked(LedgerWriter writer, LedgerBatch batch) {
        try {
            return writer.write(batch);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
