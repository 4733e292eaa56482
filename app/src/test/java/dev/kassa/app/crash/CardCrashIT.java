package dev.kassa.app.crash;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.model.CreatePayment;
import dev.kassa.model.Ids;
import dev.kassa.processor.sim.Faults;
import dev.kassa.processor.sim.ProcessorSandbox;
import dev.kassa.processor.sim.Rate;
import dev.kassa.processor.sim.SandboxSettings;
import dev.kassa.runtime.EmbeddedRuntime;
import dev.kassa.testing.DedicatedRuntime;
import dev.kassa.testing.LedgerSql;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the card connector and of the topology while card payments flow through a flaky card
 * processor: no card may be charged twice, no card payment lost, no merchant credited twice, and the
 * ledger must verify (docs/architecture.md, Card payments).
 */
@Tag("integration")
@ExtendWith(DedicatedRuntime.class)
class CardCrashIT {

    private static final String API_KEY = "sk_card_crash";
    private static final String ADMIN_TOKEN = "adm_card_crash";
    private static final String MERCHANT = "mer_cardcrash";
    private static final int ACCOUNTS = 3;
    private static final int PAYMENTS = 60;
    private static final Duration DRAIN = Duration.ofMinutes(4);

    @TempDir
    Path directory;

    private final EmbeddedRuntime runtime;

    CardCrashIT(EmbeddedRuntime runtime) {
        this.runtime = runtime;
    }

    @Test
    void killedConnectorAndTopologyChargeEveryCardPaymentOnceAndLoseNone() throws Exception {
        // Plan: the topology, the sink and the connector run as processes; the sandbox answers a fifth of
        // requests 5xx without acting and drops the answer of three tenths of new charges after making
        // them. 60 card payments (every fourth card declines) go to three accounts in four waves, every
        // fifth command published twice as a client retry would; between waves the connector is killed
        // with SIGKILL, then the topology, then the connector again, each restarted at once. Afterwards
        // every payment must be decided once in Postgres; the sandbox must hold exactly one charge per
        // payment; the accounts and the card clearing account must hold the oracle's sums, from two
        // entries per charged payment and none per declined one; kassa ledger verify must pass.
        Faults flaky = new Faults(0, Rate.parse("error_rate", "0.2"), Rate.parse("drop_after_commit_rate", "0.3"),
                Rate.NEVER, Faults.TIMEOUT_MS_DEFAULT, 0, 0);
        try (KassaServices services = new KassaServices(runtime, directory, "[CardCrashIT]");
             ProcessorSandbox sandbox = new ProcessorSandbox(new SandboxSettings("127.0.0.1", 0, API_KEY, ADMIN_TOKEN,
                     directory.resolve("processor"), flaky, 19)).start();
             CommandProducer commands = new CommandProducer(runtime.bootstrapServers())) {
            URI processorUrl = URI.create("http://127.0.0.1:" + sandbox.port());
            LedgerSql ledger = new LedgerSql(runtime.jdbcUrl());
            services.startBoth();
            services.startConnector(processorUrl.toString(), API_KEY, Duration.ofMillis(100));

            List<String> accounts = CardCommands.openAccounts(commands, ledger, MERCHANT, ACCOUNTS, DRAIN);
            Map<String, Long> oracle = new TreeMap<>();
            accounts.forEach(account -> oracle.put(account, 0L));
            long charged = 0;
            List<CreatePayment> payments = new ArrayList<>();
            for (int wave = 0; wave < 4; wave++) {
                for (int i = wave * PAYMENTS / 4; i < (wave + 1) * PAYMENTS / 4; i++) {
                    boolean declines = i % 4 == 3;
                    CreatePayment payment = CardCommands.card(MERCHANT, i, accounts.get(i % ACCOUNTS), 100 + i,
                            declines ? "tok_chargeDeclined" : "tok_visa");
                    payments.add(payment);
                    commands.send(payment);
                    if (i % 5 == 0) {
                        commands.send(payment);
                    }
                    if (!declines) {
                        oracle.merge(payment.destination(), payment.amount(), Long::sum);
                        charged += payment.amount();
                    }
                }
                commands.flush();
                switch (wave) {
                    case 0, 2 -> services.killAndRestartConnector();
                    case 1 -> services.killAndRestartTopology();
                    default -> { }
                }
            }

            CardCommands.awaitDecided(ledger, MERCHANT, PAYMENTS, DRAIN, services::tails);
            CardCommands.assertOneChargeEach(processorUrl, API_KEY, ADMIN_TOKEN, payments);
            assertThat(ledger.count("SELECT count(*) FROM payments WHERE merchant_id = ?", MERCHANT)).isEqualTo(PAYMENTS);
            assertThat(ledger.count("SELECT count(*) FROM payments WHERE merchant_id = ? AND status = 'failed'"
                    + " AND failure_code = 'card_declined'", MERCHANT)).isEqualTo(PAYMENTS / 4);
            assertThat(ledger.count("SELECT count(*) FROM ledger_entries e JOIN payments p ON p.id = e.payment_id"
                    + " WHERE p.merchant_id = ?", MERCHANT)).isEqualTo(2L * (PAYMENTS - PAYMENTS / 4));
            Map<String, String> expected = new TreeMap<>();
            oracle.forEach((account, balance) -> expected.put(account, Long.toString(balance)));
            assertThat(ledger.map("SELECT id, balance FROM accounts WHERE merchant_id = ?", MERCHANT))
                    .isEqualTo(expected);
            assertThat(ledger.map("SELECT id, balance FROM accounts WHERE id = ?", Ids.cardClearingAccount("usd")))
                    .isEqualTo(Map.of(Ids.cardClearingAccount("usd"), Long.toString(-charged)));
            KassaServices.Verification verification = services.verifyLedger();
            assertThat(verification.passed()).as("kassa ledger verify:%n%s", verification.output()).isTrue();
            assertThat(services.connectorStarts()).isEqualTo(3);
            assertThat(services.topologyStarts()).isEqualTo(2);
        }
    }
}
