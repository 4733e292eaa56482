package dev.kassa.ledger.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.kassa.ledger.TestPostgres;
import dev.kassa.testing.LedgerSql;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
class MigrationsIT {

    private static final int SCRIPTS = 11;

    @Test
    void processesStartingTogetherApplyEachScriptOnce() throws Exception {
        // Plan: four "processes" (each its own pool, as the API and sinks would have) migrate one
        // empty database at the same instant. Flyway's advisory lock must let exactly one apply each
        // script while the others wait, then find the schema current; none may fail.
        PostgresSettings database = TestPostgres.freshDatabase();
        int processes = 4;
        CyclicBarrier start = new CyclicBarrier(processes);
        ExecutorService threads = Executors.newFixedThreadPool(processes);
        List<HikariDataSource> pools = new ArrayList<>();
        List<CompletableFuture<Integer>> applied = new ArrayList<>();
        try {
            for (int i = 0; i < processes; i++) {
                HikariDataSource pool = database.openPool();
                pools.add(pool);
                applied.add(CompletableFuture.supplyAsync(() -> {
                    awaitBarrier(start);
                    return Migrations.apply(pool);
                }, threads));
            }
            int total = 0;
            for (CompletableFuture<Integer> result : applied) {
                total += result.get(2, TimeUnit.MINUTES);
            }
            assertThat(total).isEqualTo(SCRIPTS);
            LedgerSql sql = new LedgerSql(pools.get(0));
            assertThat(sql.count("SELECT count(*) FROM flyway_schema_history WHERE success")).isEqualTo(SCRIPTS);
            assertThat(Migrations.apply(pools.get(0))).isZero();
        } finally {
            threads.shutdownNow();
            pools.forEach(HikariDataSource::close);
        }
    }

    @Test
    void everyPartitionOfLedgerEntriesCarriesAnEnabledDeferredBalanceCheck() throws SQLException {
        // Plan: partitions made by the schema get the queued check of V10 (the generic clone disabled),
        // a partition made by hand keeps the generic one; each must reject an unbalanced insert.
        try (HikariDataSource pool = TestPostgres.migratedDatabase()) {
            LedgerSql sql = new LedgerSql(pool);
            LocalDate later = LocalDate.now(ZoneOffset.UTC).plusDays(40);
            LedgerPartitions.ensure(pool, later, 2);
            LocalDate byHand = later.plusDays(10);
            sql.commit("CREATE TABLE ledger_entries_by_hand PARTITION OF ledger_entries FOR VALUES FROM ('"
                    + byHand + "') TO ('" + byHand.plusDays(1) + "')");

            List<List<String>> checks = sql.query("SELECT c.relname, t.tgname FROM pg_inherits i"
                    + " JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_trigger t ON t.tgrelid = c.oid"
                    + " WHERE i.inhparent = 'ledger_entries'::regclass AND t.tgenabled <> 'D'"
                    + " AND t.tgname IN ('ledger_entries_balanced', 'ledger_entries_balance_queued_insert') ORDER BY 1");
            assertThat(checks).hasSize(9 + 3 + 1 + 1); // V1's nine days, three more, the default, by hand
            assertThat(checks).filteredOn(row -> row.get(0).equals("ledger_entries_by_hand"))
                    .containsExactly(List.of("ledger_entries_by_hand", "ledger_entries_balanced"));
            assertThat(checks).filteredOn(row -> !row.get(0).equals("ledger_entries_by_hand"))
                    .allSatisfy(row -> assertThat(row.get(1)).isEqualTo("ledger_entries_balance_queued_insert"));
            for (LocalDate day : List.of(later.plusDays(1), byHand, LocalDate.now(ZoneOffset.UTC), LocalDate.of(1999, 1, 1))) {
                assertThatThrownBy(() -> sql.commit("INSERT INTO ledger_entries VALUES ('txn_late', 0, date '" + day
                        + "', 'pay_late', 'acct_a', 7, 'usd', now())")).hasMessageContaining("does not sum to zero");
            }
        }
    }

    @Test
    void dayAlreadyHeldByTheDefaultPartitionDoesNotStopTheOtherDays() throws SQLException {
        // Plan: a balanced transaction lands in the default partition for a day without a partition
        // (e.g. a replay of old events). Creating partitions around that day must still work for the
        // other days and leave that day's rows where they are.
        try (HikariDataSource pool = TestPostgres.migratedDatabase()) {
            LedgerSql sql = new LedgerSql(pool);
            LocalDate day = LocalDate.now(ZoneOffset.UTC).plusDays(100);
            sql.commit("INSERT INTO ledger_entries VALUES ('txn_d', 0, date '" + day + "', 'pay_d', 'acct_a', -5, 'usd', now()),"
                    + " ('txn_d', 1, date '" + day + "', 'pay_d', 'acct_b', 5, 'usd', now())");

            LedgerPartitions.ensure(pool, day.minusDays(1), 2);

            assertThat(sql.query("SELECT relname FROM pg_class WHERE relname LIKE 'ledger_entries_2%' AND relname IN (?, ?, ?) ORDER BY 1",
                    partition(day.minusDays(1)), partition(day), partition(day.plusDays(1))))
                    .containsExactly(List.of(partition(day.minusDays(1))), List.of(partition(day.plusDays(1))));
            assertThat(sql.count("SELECT count(*) FROM ledger_entries_default WHERE transaction_id = 'txn_d'")).isEqualTo(2);
            assertThat(sql.count("SELECT count(*) FROM pg_class WHERE relname = ?", "payments_" + compact(day))).isEqualTo(1);
        }
    }

    @Test
    void partitionDaysAheadAreBounded() {
        assertThatThrownBy(() -> LedgerPartitions.ensure(new HikariDataSource(), LocalDate.now(), 367))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String partition(LocalDate day) {
        return "ledger_entries_" + compact(day);
    }

    private static String compact(LocalDate day) {
        return day.toString().replace("-", "");
    }

    private static void awaitBarrier(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
