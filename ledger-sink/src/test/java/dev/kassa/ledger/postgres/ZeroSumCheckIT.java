package dev.kassa.ledger.postgres;

import static dev.kassa.ledger.Fixtures.PAYMENTS_0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.kassa.ledger.Fixtures;
import dev.kassa.ledger.LedgerBatch;
import dev.kassa.ledger.LedgerRecord;
import dev.kassa.ledger.LedgerScenario;
import dev.kassa.ledger.PaymentEventRecord;
import dev.kassa.ledger.TestPostgres;
import dev.kassa.model.PaymentEvent;
import dev.kassa.testing.LedgerSql;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The database's own zero-sum check (invariant 2, docs/architecture.md "ledger-sink"): whatever
 * writes {@code ledger_entries}, a ledger transaction whose legs do not sum to zero per currency is
 * refused at commit, and one whose legs do is accepted, however it was written. Every test here
 * writes around the sink, by plain SQL or COPY, except the last, which shows that the sink's screen
 * and the database agree.
 */
@Tag("integration")
class ZeroSumCheckIT {

    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    private static final String CHECK_VIOLATION = "23514";

    private HikariDataSource pool;
    private LedgerSql sql;

    @BeforeEach
    void freshLedger() {
        pool = TestPostgres.migratedDatabase();
        sql = new LedgerSql(pool);
    }

    @AfterEach
    void closePool() {
        pool.close();
    }

    @Test
    void unbalancedTransactionInsertedBySqlIsRefusedAtCommit() {
        // Plan: three unbalanced shapes, each committed alone by plain SQL: one leg; two legs off by
        // one; two legs in two currencies, each summing to zero overall but neither per currency.
        // Each must fail at commit as a check violation naming its transaction, and leave no row.
        assertRefused(() -> sql.commit(insert("txn_one_leg", 0, "acct_a", 100, "usd")), "txn_one_leg", "usd");
        assertRefused(() -> sql.commit(insert("txn_off_by_one", 0, "acct_a", -100, "usd")
                + ", " + values("txn_off_by_one", 1, "acct_b", 101, "usd")), "txn_off_by_one", "usd");
        assertRefused(() -> sql.commit(insert("txn_two_currencies", 0, "acct_a", -100, "usd")
                + ", " + values("txn_two_currencies", 1, "acct_b", 100, "eur")), "txn_two_currencies", "");

        assertThat(sql.count("SELECT count(*) FROM ledger_entries")).isZero();
    }

    @Test
    void unbalancedTransactionWrittenStraightIntoAPartitionIsRefused() {
        // Plan: a writer naming a partition instead of ledger_entries (today's, and the default one for
        // a day without its own) fires that partition's triggers, not the table's; it must be refused too.
        String partition = "ledger_entries_" + TODAY.toString().replace("-", "");
        assertRefused(() -> sql.commit("INSERT INTO " + partition + " VALUES ('txn_partition', 0, date '" + TODAY
                + "', 'pay_x', 'acct_a', 5, 'usd', now())"), "txn_partition", "usd");
        assertRefused(() -> sql.commit("INSERT INTO ledger_entries_default VALUES ('txn_default', 0, date '1999-01-01',"
                + " 'pay_x', 'acct_a', 5, 'usd', now())"), "txn_default", "usd");
    }

    @Test
    void checkIsDeferredToCommitSoLegsMayArriveInSeparateStatements() throws SQLException {
        // Plan: one database transaction inserts a ledger transaction's debit, then its credit, by two
        // statements; it balances only after the second, so it must commit. The same with a credit one
        // unit short must be refused at commit, not at either statement.
        sql.commit(insert("txn_leg_by_leg", 0, "acct_a", -250, "usd"), insert("txn_leg_by_leg", 1, "acct_b", 250, "usd"));

        assertRefused(() -> sql.commit(insert("txn_short", 0, "acct_a", -250, "usd"),
                insert("txn_short", 1, "acct_b", 249, "usd")), "txn_short", "usd");
        assertThat(sql.map("SELECT transaction_id, sum(amount) FROM ledger_entries GROUP BY transaction_id"))
                .isEqualTo(Map.of("txn_leg_by_leg", "0"));
        assertThat(sql.count("SELECT count(*) FROM ledger_balance_checks")).isZero();
    }

    @Test
    void batchOfManyTransactionsIsAcceptedAndOneUnbalancedLegAmongThemRefusesItWhole() throws SQLException {
        // Plan: 2,000 balanced ledger transactions (4,000 legs) by one COPY, as the sink writes them,
        // must commit. The same batch again under new ids, but with one leg of transaction 1,234 one
        // unit larger, must be refused naming that transaction, and leave none of its 4,000 legs.
        copyBatch("ok", -1);
        assertThat(sql.count("SELECT count(*) FROM ledger_entries")).isEqualTo(4_000);

        assertRefused(() -> copyBatch("bad", 1_234), "bad_1234", "usd");
        assertThat(sql.count("SELECT count(*) FROM ledger_entries")).isEqualTo(4_000);
        assertThat(sql.count("SELECT count(*) FROM ledger_balance_checks")).isZero();
    }

    @Test
    void changingOrDeletingOneLegOfACommittedTransactionIsRefused() throws SQLException {
        // Plan: a committed balanced transaction; an update of one leg's amount, and the deletion of one
        // leg, would each leave it unbalanced and must be refused. Deleting all its legs leaves nothing
        // unbalanced and is accepted.
        sql.commit(insert("txn_kept", 0, "acct_a", -40, "usd") + ", " + values("txn_kept", 1, "acct_b", 40, "usd"));

        assertRefused(() -> sql.commit("UPDATE ledger_entries SET amount = 41 WHERE transaction_id = 'txn_kept'"
                + " AND entry_index = 1"), "txn_kept", "usd");
        assertRefused(() -> sql.commit("DELETE FROM ledger_entries WHERE transaction_id = 'txn_kept' AND entry_index = 0"),
                "txn_kept", "usd");
        assertThat(sql.count("SELECT count(*) FROM ledger_entries WHERE transaction_id = 'txn_kept'")).isEqualTo(2);
        sql.commit("DELETE FROM ledger_entries WHERE transaction_id = 'txn_kept'");
        assertThat(sql.count("SELECT count(*) FROM ledger_entries")).isZero();
    }

    @Test
    void sinkSetsAPoisonedTransactionAsideAndTheDatabaseRefusesItsLegs() throws SQLException {
        // Plan: the sink's batch opens two accounts, books a deposit and holds a completion crediting one
        // unit more than it debits. The sink's screen must dead-letter it and commit the rest (the
        // deposit's legs pass the database's check); the poisoned legs, written by SQL instead, must be
        // refused by the database.
        LedgerScenario scenario = new LedgerScenario();
        PaymentEvent poisoned = Fixtures.unbalancedCompletion(scenario.payment, scenario.at.plusMillis(6));
        List<LedgerRecord> records = new ArrayList<>(Fixtures.records(Map.of(), scenario.aliceOpened,
                scenario.bobOpened, scenario.depositInitiated, scenario.depositCompleted, scenario.paymentInitiated));
        records.add(new PaymentEventRecord(PAYMENTS_0, 3, poisoned, new byte[0],
                poisoned.eventId().getBytes(StandardCharsets.UTF_8)));

        WriteResult result = new LedgerWriter(pool, "kassa-ledger-sink").write(LedgerBatch.of(records,
                Fixtures.nothingStored()));

        assertThat(result).isEqualTo(new WriteResult(5, 0, 2, 1));
        assertThat(sql.strings("SELECT reason FROM dead_letters"))
                .containsExactly("ledger transaction " + poisoned.eventId() + " does not sum to zero in usd: +1");
        assertThat(sql.count("SELECT count(*) FROM ledger_entries")).isEqualTo(2);
        LocalDate day = scenario.at.atZone(ZoneOffset.UTC).toLocalDate();
        assertRefused(() -> sql.commit("INSERT INTO ledger_entries VALUES ('" + poisoned.eventId() + "', 0, date '" + day
                + "', '" + scenario.payment.id() + "', '" + scenario.alice + "', -" + LedgerScenario.PAYMENT
                + ", 'usd', now()), ('" + poisoned.eventId() + "', 1, date '" + day + "', '" + scenario.payment.id()
                + "', '" + scenario.bob + "', " + (LedgerScenario.PAYMENT + 1) + ", 'usd', now())"),
                poisoned.eventId(), "usd");
    }

    @Test
    void ledgerAtV9UpgradesToTheQueuedCheckAndKeepsItsRows() throws SQLException {
        // Plan: a database at V9, as a data directory of the previous release, holds a balanced
        // transaction. Migrating applies V10 (and V11), which must keep the row, replace every per-partition
        // check function of V3, and still refuse an unbalanced insert at commit.
        try (HikariDataSource old = TestPostgres.freshDatabase().openPool()) {
            LedgerSql oldSql = new LedgerSql(old);
            Flyway.configure().configuration(Migrations.flyway(old).getConfiguration()).target("9").load().migrate();
            oldSql.commit(insert("txn_v9", 0, "acct_a", -7, "usd") + ", " + values("txn_v9", 1, "acct_b", 7, "usd"));
            String perPartitionFunctions = "SELECT count(*) FROM pg_proc WHERE proname LIKE 'kassa_balanced_%'";
            assertThat(oldSql.count(perPartitionFunctions)).isGreaterThan(1);

            assertThat(Migrations.apply(old)).as("V10 and V11").isEqualTo(2);

            assertThat(oldSql.count(perPartitionFunctions)).isZero();
            assertThat(oldSql.count("SELECT count(*) FROM ledger_entries WHERE transaction_id = 'txn_v9'")).isEqualTo(2);
            assertRefused(() -> oldSql.commit(insert("txn_v10", 0, "acct_a", 3, "usd")), "txn_v10", "usd");
        }
    }

    private void copyBatch(String prefix, int unbalancedTransaction) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        for (int t = 0; t < 2_000; t++) {
            long credit = t == unbalancedTransaction ? 11 : 10;
            rows.add(leg(prefix + "_" + t, 0, "acct_" + (t % 300), -10));
            rows.add(leg(prefix + "_" + t, 1, "acct_" + ((t + 1) % 300), credit));
        }
        try (Connection connection = pool.getConnection()) {
            try {
                CopyRows.copy(connection, "ledger_entries", List.of("transaction_id", "entry_index", "booked_on",
                        "payment_id", "account_id", "amount", "currency", "booked_at"), rows, row -> row);
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static List<String> leg(String transactionId, int index, String accountId, long amount) {
        return List.of(transactionId, Integer.toString(index), TODAY.toString(), "pay_" + transactionId, accountId,
                Long.toString(amount), "usd", TODAY + "T00:00:00Z");
    }

    private static String insert(String transactionId, int index, String accountId, long amount, String currency) {
        return "INSERT INTO ledger_entries VALUES " + values(transactionId, index, accountId, amount, currency);
    }

    private static String values(String transactionId, int index, String accountId, long amount, String currency) {
        return "('" + transactionId + "', " + index + ", date '" + TODAY + "', 'pay_" + transactionId + "', '"
                + accountId + "', " + amount + ", '" + currency + "', now())";
    }

    private static void assertRefused(ThrowingCallable commit, String transactionId, String currency) {
        assertThatThrownBy(commit)
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("ledger transaction " + transactionId + " does not sum to zero in " + currency)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(CHECK_VIOLATION));
    }
}
