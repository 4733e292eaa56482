package dev.kassa.app.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kassa.model.CreatePayment;
import dev.kassa.model.CreateRefund;
import dev.kassa.model.Ids;
import dev.kassa.processor.HttpCardProcessor;
import dev.kassa.runtime.EmbeddedRuntime;
import dev.kassa.testing.DedicatedRuntime;
import dev.kassa.testing.LedgerSql;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The card soak (issue 19): a thousand card payments through a processor sandbox that fails at random,
 * with the card connector killed with SIGKILL and the sandbox killed and restarted while they flow,
 * every one a real process. Afterwards the sandbox's charges and Kassa's completed card payments match
 * one to one, no charge is made twice, every payment is decided and the ledger verifies
 * (docs/architecture.md, Card payments).
 */
@Tag("integration")
@ExtendWith(DedicatedRuntime.class)
class CardSoakIT {

    private static final String API_KEY = "sk_card_soak";
    private static final String ADMIN_TOKEN = "adm_card_soak";
    private static final String MERCHANT = "mer_cardsoak";
    private static final int ACCOUNTS = 5;
    private static final int PAYMENTS = 1_000;
    private static final int WAVES = 5;
    /** Card payments refunded afterwards, half their amount each, in two waves. */
    private static final int REFUNDS = 200;
    /** Every tenth card declines; the others are charged. */
    private static final int DECLINE_EVERY = 10;
    private static final Duration DRAIN = Duration.ofMinutes(4);
    /**
     * A tenth of requests answered 5xx without acting, a tenth of new charges made and their answer
     * dropped, 5 ms added to every answer; the same seed injects the same faults for the same requests.
     */
    private static final List<String> FAULTS = List.of("--error-rate", "0.1", "--drop-after-commit-rate", "0.1",
            "--latency-ms", "5", "--seed", "19");

    @TempDir
    Path directory;

    private final EmbeddedRuntime runtime;

    CardSoakIT(EmbeddedRuntime runtime) {
        this.runtime = runtime;
    }

    @Test
    void thousandCardPaymentsUnderFaultsAndKillsAreChargedOnceEachAndAllDecided() throws Exception {
        // Plan: the topology, the sink, the connector and the sandbox run as processes; the sandbox injects
        // FAULTS. 1,000 card payments (every tenth declines) go to five accounts in five waves, every
        // twentieth command published twice as a client retry would. After wave 1 and wave 3 the connector
        // is killed with SIGKILL and restarted; after wave 2 and wave 4 the sandbox is, on the same port and
        // journal. Then 200 completed payments are refunded by half, every twentieth refund command published
        // twice, the connector killed after the first hundred and the sandbox after the second, faults still
        // on. Afterwards: every payment and refund decided once in Postgres; the sandbox holds exactly one
        // charge per payment and one refund per refunded payment; its settled charges are exactly Kassa's
        // completed card payments, amount for amount, its refund lines Kassa's refunds; the balances are
        // the oracle's; kassa ledger verify passes; kassa reconcile of each day finds nothing open.
        int port = freePort();
        URI processorUrl = URI.create("http://127.0.0.1:" + port);
        String context = "[CardSoakIT]";
        try (KassaServices services = new KassaServices(runtime, directory, context);
             CommandProducer commands = new CommandProducer(runtime.bootstrapServers())) {
            LedgerSql ledger = new LedgerSql(runtime.jdbcUrl());
            LocalDate firstDay = LocalDate.now(ZoneOffset.UTC);
            services.startBoth();
            services.startProcessorSim(port, API_KEY, ADMIN_TOKEN, directory.resolve("processor"), FAULTS);
            services.startConnector(processorUrl.toString(), API_KEY, Duration.ofMillis(50));

            List<String> accounts = CardCommands.openAccounts(commands, ledger, MERCHANT, ACCOUNTS, DRAIN);
            Map<String, Long> oracle = new TreeMap<>();
            accounts.forEach(account -> oracle.put(account, 0L));
            Map<String, Long> charged = new HashMap<>();
            List<CreatePayment> payments = new ArrayList<>();
            for (int wave = 0; wave < WAVES; wave++) {
                for (int i = wave * PAYMENTS / WAVES; i < (wave + 1) * PAYMENTS / WAVES; i++) {
                    boolean declines = i % DECLINE_EVERY == DECLINE_EVERY - 1;
                    CreatePayment payment = CardCommands.card(MERCHANT, i, accounts.get(i % ACCOUNTS), 100 + i,
                            declines ? "tok_chargeDeclined" : "tok_visa");
                    payments.add(payment);
                    commands.send(payment);
                    if (i % 20 == 0) {
                        commands.send(payment);
                    }
                    if (!declines) {
                        oracle.merge(payment.destination(), payment.amount(), Long::sum);
                        charged.put(payment.paymentId(), payment.amount());
                    }
                }
                commands.flush();
                switch (wave) {
                    case 1, 3 -> services.killAndRestartConnector();
                    case 2, 4 -> services.killAndRestartProcessorSim();
                    default -> { }
                }
            }

            CardCommands.awaitDecided(ledger, MERCHANT, PAYMENTS, DRAIN, services::tails);
            Map<String, Long> refunded = refund(commands, services, payments, charged, oracle);
            awaitRefundsDecided(ledger, services);
            HttpCardProcessor processor = CardCommands.assertOneChargeEach(processorUrl, API_KEY, ADMIN_TOKEN, payments);
            assertThat(settledCharges(processor, firstDay)).as("the sandbox's settled charges, by reference")
                    .isEqualTo(charged);
            assertThat(ledger.map("SELECT id, amount FROM payments WHERE merchant_id = ?"
                    + " AND status IN ('completed', 'partially_refunded')", MERCHANT))
                    .as("Kassa's completed card payments, refunded in part or not").isEqualTo(asText(charged));
            assertThat(ledger.count("SELECT count(*) FROM payments WHERE merchant_id = ? AND status = 'partially_refunded'",
                    MERCHANT)).isEqualTo(REFUNDS);
            assertThat(ledger.count("SELECT count(*) FROM payments WHERE merchant_id = ? AND status = 'failed'"
                    + " AND failure_code = 'card_declined'", MERCHANT)).isEqualTo(PAYMENTS / DECLINE_EVERY);
            assertThat(ledger.count("SELECT count(*) FROM ledger_entries e JOIN payments p ON p.id = e.payment_id"
                    + " WHERE p.merchant_id = ?", MERCHANT)).as("two legs a payment and two a refund")
                    .isEqualTo(2L * charged.size() + 2L * refunded.size());
            assertThat(ledger.map("SELECT payment_id, amount FROM refunds WHERE merchant_id = ? AND status = 'completed'",
                    MERCHANT)).as("Kassa's completed refunds, by payment").isEqualTo(asText(refunded));
            // A refund is decided and booked in Kassa first; the connector then sends it to the processor.
            await().atMost(DRAIN).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(
                    settledRefunds(processor, firstDay)).as("the sandbox's refund lines, by payment").isEqualTo(refunded));
            assertThat(ledger.map("SELECT id, balance FROM accounts WHERE merchant_id = ?", MERCHANT))
                    .isEqualTo(asText(oracle));
            assertThat(ledger.map("SELECT id, balance FROM accounts WHERE id = ?", Ids.cardClearingAccount("usd")))
                    .isEqualTo(Map.of(Ids.cardClearingAccount("usd"),
                            Long.toString(-charged.values().stream().mapToLong(Long::longValue).sum()
                                    + refunded.values().stream().mapToLong(Long::longValue).sum())));
            KassaServices.Verification verification = services.verifyLedger();
            assertThat(verification.passed()).as("kassa ledger verify:%n%s", verification.output()).isTrue();

            // Reconciliation of every day of the soak, kassa reconcile as a process of its own, finds nothing
            // open: every settled charge and refund matched to Kassa's, none completed by reconciliation,
            // no payment missing at the processor (docs/architecture.md, Reconciliation).
            for (LocalDate day = firstDay; !day.isAfter(LocalDate.now(ZoneOffset.UTC)); day = day.plusDays(1)) {
                KassaProcess reconcile = CardCommands.startReconcile("kassa-reconcile-" + day, runtime, processorUrl,
                        API_KEY, day);
                assertThat(reconcile.awaitExit(DRAIN)).as("kassa reconcile --date %s ended", day).isTrue();
                assertThat(reconcile.exitValue()).as(reconcile.tailText()).isZero();
                assertThat(reconcile.tailText()).contains("nothing open");
            }
            assertThat(ledger.count("SELECT count(*) FROM reconciliation_items WHERE state = 'open'")).isZero();
            assertThat(ledger.count("SELECT count(*) FROM reconciliation_items WHERE kind = 'matched'"))
                    .as("every charge line and every refund line matched").isEqualTo(charged.size() + refunded.size());

            assertThat(services.connectorStarts()).isEqualTo(4);
            assertThat(services.processorSimStarts()).isEqualTo(4);
        }
    }

    /**
     * Refunds half of each of the first {@link #REFUNDS} charged payments in two waves, every twentieth
     * refund command published twice as a client retry would; kills and restarts the connector after the
     * first wave and the sandbox after the second. Takes each refund off the oracle; returns the refunded
     * amounts by payment.
     */
    private static Map<String, Long> refund(CommandProducer commands, KassaServices services, List<CreatePayment> payments,
                                            Map<String, Long> charged, Map<String, Long> oracle) throws Exception {
        List<CreatePayment> refundable = payments.stream().filter(payment -> charged.containsKey(payment.paymentId()))
                .limit(REFUNDS).toList();
        Map<String, Long> refunded = new TreeMap<>();
        for (int i = 0; i < refundable.size(); i++) {
            CreatePayment payment = refundable.get(i);
            long amount = payment.amount() / 2;
            Instant now = Instant.now();
            CreateRefund refund = new CreateRefund(Ids.next(Ids.REFUND, now), payment.paymentId(), MERCHANT,
                    "refund-" + i, amount, payment.destination(), now, null);
            commands.send(refund);
            if (i % 20 == 0) {
                commands.send(refund);
            }
            refunded.put(payment.paymentId(), amount);
            oracle.merge(payment.destination(), -amount, Long::sum);
            if (i == refundable.size() / 2 - 1) {
                commands.flush();
                services.killAndRestartConnector();
            }
        }
        commands.flush();
        services.killAndRestartProcessorSim();
        return refunded;
    }

    private static void awaitRefundsDecided(LedgerSql ledger, KassaServices services) {
        await().atMost(DRAIN).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(ledger.count(
                "SELECT count(*) FROM refunds WHERE merchant_id = ? AND status IN ('completed', 'failed')", MERCHANT))
                .as("%s", services.tails()).isEqualTo(REFUNDS));
    }

    /**
     * The refund lines of the sandbox's settlement reports from {@code firstDay} to today, payment (the
     * charge's reference) to the amount refunded; a payment refunded twice fails the test.
     */
    private static Map<String, Long> settledRefunds(HttpCardProcessor processor, LocalDate firstDay) {
        Map<String, Long> refunds = new TreeMap<>();
        for (LocalDate day = firstDay; !day.isAfter(LocalDate.now(ZoneOffset.UTC)); day = day.plusDays(1)) {
            for (String line : processor.settlementReport(day).split("\n")) {
                if (line.startsWith("refund,")) {
                    String[] fields = line.split(",");
                    assertThat(refunds.put(fields[3], -Long.parseLong(fields[4]))).as("refunded once: %s", line).isNull();
                }
            }
        }
        return refunds;
    }

    /**
     * The charge lines of the sandbox's settlement reports from {@code firstDay} to today, reference to
     * amount; a reference settled twice fails the test.
     */
    private static Map<String, Long> settledCharges(HttpCardProcessor processor, LocalDate firstDay) {
        Map<String, Long> settled = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (LocalDate day = firstDay; !day.isAfter(LocalDate.now(ZoneOffset.UTC)); day = day.plusDays(1)) {
            for (String line : processor.settlementReport(day).split("\n")) {
                if (!line.startsWith("charge,")) {
                    continue;
                }
                String[] fields = line.split(",");
                assertThat(seen.add(fields[3])).as("settled once: %s", line).isTrue();
                settled.put(fields[3], Long.parseLong(fields[4]));
            }
        }
        return settled;
    }

    private static Map<String, String> asText(Map<String, Long> amounts) {
        Map<String, String> text = new TreeMap<>();
        amounts.forEach((key, amount) -> text.put(key, Long.toString(amount)));
        return text;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
