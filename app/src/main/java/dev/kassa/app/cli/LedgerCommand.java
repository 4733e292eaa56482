package dev.kassa.app.cli;

import com.zaxxer.hikari.HikariDataSource;
import dev.kassa.ledger.postgres.PostgresSettings;
import dev.kassa.ledger.verify.InvariantResult;
import dev.kassa.ledger.verify.LedgerVerifier;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kassa ledger verify}: checks the ledger's invariants in any Kassa Postgres. */
@Command(name = "ledger", mixinStandardHelpOptions = true, description = "Ledger operations.",
        subcommands = LedgerCommand.Verify.class)
public final class LedgerCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** Prints each invariant with its violation count; exits 1 when any is violated. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check every ledger invariant; exit 1 if any is violated.")
    public static final class Verify implements Callable<Integer> {

        /** Only the ledger's Postgres: verifying reads no Kafka and no Redis. */
        @Mixin
        PostgresOptions postgres;

        @Override
        public Integer call() throws SQLException {
            PostgresSettings settings = postgres.toSettings();
            try (HikariDataSource pool = settings.openPool()) {
                List<InvariantResult> results = new LedgerVerifier(pool).verify();
                results.forEach(result -> System.out.printf("%-4s %-45s %d violations%s%n",
                        result.holds() ? "ok" : "FAIL", result.invariant(), result.violations(),
                        result.sampleIds().isEmpty() ? "" : " e.g. " + result.sampleIds()));
                boolean allHold = LedgerVerifier.allHold(results);
                System.out.println(allHold ? "ledger verified: every invariant holds" : "ledger verification FAILED");
                return allHold ? 0 : 1;
            }
        }
    }
}
