package dev.kassa.ledger.postgres;

import static dev.kassa.ledger.Fixtures.ACCOUNTS_0;
import static dev.kassa.ledger.Fixtures.PAYMENTS_0;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.kassa.ledger.Fixtures;
import dev.kassa.ledger.LedgerBatch;
import dev.kassa.ledger.LedgerScenario;
import dev.kassa.ledger.TestPostgres;
import dev.kassa.ledger.verify.LedgerVerifier;
import dev.kassa.model.Ids;
import dev.kassa.model.PaymentKind;
import dev.kassa.testing.LedgerSql;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The set-based batch write (docs/architecture.md, "ledger-sink"): one balance update per account per
 * batch however many entries it holds, and the V8 upgrade of a ledger written at V7.
 */
@Tag("integration")
class SetBasedBatchIT {

    private static final String GROUP = "kassa-ledger-sink";

    private final LedgerScenario scenario = new LedgerScenario();

    @Test
    void batchWithManyEntriesForOneAccountUpdatesItsBalanceOnceAndCorrectly() throws SQLException {
        // Plan: 300 sources each receive a deposit and pay one hot merchant account, all in one batch:
        // 1,200 entries, 600 of them on the external account and 300 on the hot one. A test trigger
        // counts the row updates of each account's balance. Every account must be updated exactly once
        // in the batch, and each balance must equal a model summed here, leg by leg.
        try (HikariDataSource pool = TestPostgres.migratedDatabase()) {
            LedgerSql sql = new LedgerSql(pool);
            sql.commit("CREATE TABLE balance_updates (account_id text NOT NULL)",
                    "CREATE FUNCTION count_balance_update() RETURNS trigger LANGUAGE plpgsql AS"
                            + " $$ BEGIN INSERT INTO balance_updates VALUES (NEW.id); RETURN NULL; END; $$",
                    "CREATE TRIGGER count_balance_update AFTER UPDATE OF balance ON accounts"
                            + " FOR EACH ROW EXECUTE FUNCTION count_balance_update()");
            String hot = Fixtures.accountId(scenario.at);
            String external = Ids.externalAccount("usd");
            List<Object> events = new ArrayList<>();
            events.add(Fixtures.accountOpened(hot, "usd", scenario.at));
            Map<String, Long> model = new HashMap<>();
            for (int i = 0; i < 300; i++) {
                String source = Fixtures.accountId(scenario.at);
                long deposit = 1_000 + i;
                long paid = 1 + i % 7;
                events.add(Fixtures.accountOpened(source, "usd", scenario.at));
                events.add(Fixtures.completed(Fixtures.pending(PaymentKind.DEPOSIT, deposit, "usd", external, source,
                        scenario.at), scenario.at));
                events.add(Fixtures.completed(Fixtures.pending(PaymentKind.PAYMENT, paid, "usd", source, hot,
                        scenario.at), scenario.at));
                model.merge(external, -deposit, Long::sum);
                model.merge(source, deposit - paid, Long::sum);
                model.merge(hot, paid, Long::sum);
            }

            WriteResult result = new LedgerWriter(pool, GROUP)
                    .write(LedgerBatch.of(Fixtures.records(Map.of(), events.toArray()), Fixtures.nothingStored()));

            assertThat(result.entriesBooked()).isEqualTo(1_200);
            assertThat(sql.map("SELECT account_id, count(*) FROM balance_updates GROUP BY account_id"))
                    .hasSize(302).allSatisfy((account, updates) -> assertThat(updates).as(account).isEqualTo("1"));
            Map<String, String> expected = new HashMap<>();
            model.forEach((account, balance) -> expected.put(account, balance.toString()));
            assertThat(sql.map("SELECT id, balance FROM accounts")).isEqualTo(expected);
            assertThat(sql.one("SELECT balance FROM accounts WHERE id = ?", hot))
                    .isEqualTo(Long.toString(300 / 7 * (1 + 2 + 3 + 4 + 5 + 6 + 7) + (1 + 2 + 3 + 4 + 5 + 6)));
            assertThat(LedgerVerifier.allHold(new LedgerVerifier(pool, Duration.ZERO, 10).verify())).isTrue();
        }
    }

    @Test
    void ledgerWrittenAtV7IsUpgradedAndTheSinkGoesOnWritingIt() throws SQLException {
        // Plan: a database migrated to V7 only, as a data directory of the previous release, gets the
        // scenario's accounts and deposit with their offsets. Migrating it applies V8 (and V9, card
        // payments' kind, and V10, the zero-sum check once per transaction), which drops the per-account index of ledger_entries on every partition and keeps every row. The sink then
        // goes on from the stored offsets: the deposit's completion arrives again (a duplicate publish)
        // and must be skipped, the payment and the refused one applied, and the whole ledger must be
        // the scenario's oracle and pass every invariant.
        try (HikariDataSource pool = TestPostgres.freshDatabase().openPool()) {
            LedgerSql sql = new LedgerSql(pool);
            Flyway.configure().configuration(Migrations.flyway(pool).getConfiguration()).target("7").load().migrate();
            LedgerWriter writer = new LedgerWriter(pool, GROUP);
            writer.write(LedgerBatch.of(Fixtures.records(Map.of(), scenario.aliceOpened, scenario.bobOpened,
                    scenario.depositInitiated, scenario.depositCompleted), Fixtures.nothingStored()));
            String accountIndexes = "SELECT count(*) FROM pg_indexes WHERE tablename LIKE 'ledger_entries%'"
                    + " AND indexdef LIKE '%(account_id)'";
            assertThat(sql.count(accountIndexes)).isGreaterThan(1);

            assertThat(Migrations.apply(pool)).isEqualTo(4);

            assertThat(sql.count(accountIndexes)).isZero();
            assertThat(sql.count("SELECT count(*) FROM ledger_entries")).isEqualTo(2);
            WriteResult result = writer.write(LedgerBatch.of(Fixtures.records(Map.of(PAYMENTS_0, 2L),
                    scenario.depositCompleted, scenario.paymentInitiated, scenario.paymentCompleted,
                    scenario.refusedInitiated, scenario.refusedFailed), writer.storedOffsets(List.of(ACCOUNTS_0, PAYMENTS_0))));

            assertThat(result).isEqualTo(new WriteResult(4, 1, 2, 0));
            assertThat(sql.map("SELECT id, balance FROM accounts")).isEqualTo(scenario.expectedBalances());
            assertThat(sql.map("SELECT id, status FROM payments")).isEqualTo(Map.of(scenario.deposit.id(), "completed",
                    scenario.payment.id(), "completed", scenario.refused.id(), "failed"));
            assertThat(sql.count("SELECT count(*) FROM ledger_entries")).isEqualTo(4);
            assertThat(sql.map("SELECT topic || '/' || partition, next_offset FROM sink_offsets"))
                    .isEqualTo(Map.of("accounts.events/0", "2", "payments.events/0", "7"));
            assertThat(LedgerVerifier.allHold(new LedgerVerifier(pool, Duration.ZERO, 10).verify())).isTrue();
        }
    }
}
