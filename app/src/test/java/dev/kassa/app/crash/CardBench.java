package dev.kassa.app.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kassa.app.connector.CardConnector;
import dev.kassa.app.connector.ConnectorSettings;
import dev.kassa.model.CreatePayment;
import dev.kassa.model.Ids;
import dev.kassa.model.KafkaClientProperties;
import dev.kassa.model.OpenAccount;
import dev.kassa.model.PaymentKind;
import dev.kassa.processor.Charge;
import dev.kassa.processor.HttpCardProcessor;
import dev.kassa.processor.sim.Faults;
import dev.kassa.processor.sim.ProcessorSandbox;
import dev.kassa.processor.sim.SandboxSettings;
import dev.kassa.runtime.EmbeddedRuntime;
import dev.kassa.testing.LedgerSql;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * What the reconciliation tests run card payments on: the topology and the sink as processes
 * ({@link KassaServices}) on a dedicated runtime, the processor sandbox on a real socket, card
 * connectors in this JVM (started and stopped at will), commands published as the API would, and
 * {@code kassa reconcile} run as a process of its own, which a test may kill (docs/architecture.md,
 * Reconciliation).
 */
final class CardBench implements AutoCloseable {

    static final String API_KEY = "sk_reconcile_it";
    static final String MERCHANT = "mer_reconcile";
    private static final String ADMIN_TOKEN = "adm_reconcile_it";
    private static final Duration WAIT = Duration.ofMinutes(2);

    private final EmbeddedRuntime runtime;
    private final KassaServices services;
    private final ProcessorSandbox sandbox;
    private final URI processorUrl;
    private final HttpCardProcessor processor;
    private final CommandProducer commands;
    private final LedgerSql ledger;
    private int runs;

    CardBench(EmbeddedRuntime runtime, Path directory, String context) {
        this.runtime = runtime;
        this.services = new KassaServices(runtime, directory, context);
        this.sandbox = new ProcessorSandbox(new SandboxSettings("127.0.0.1", 0, API_KEY, ADMIN_TOKEN,
                directory.resolve("processor"), Faults.NONE, 19)).start();
        this.processorUrl = URI.create("http://127.0.0.1:" + sandbox.port());
        this.processor = new HttpCardProcessor(processorUrl, API_KEY, Duration.ofSeconds(10), Duration.ofSeconds(5));
        this.commands = new CommandProducer(runtime.bootstrapServers());
        this.ledger = new LedgerSql(runtime.jdbcUrl());
        services.startBoth();
    }

    LedgerSql ledger() {
        return ledger;
    }

    KassaServices services() {
        return services;
    }

    String bootstrapServers() {
        return runtime.bootstrapServers();
    }

    /** Today, UTC: the day the sandbox settles this test's charges on. */
    static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    /** A connector in this JVM that retries an unknown outcome after {@code backoff} (and up to twice that). */
    CardConnector connector(Duration backoff) {
        ConnectorSettings settings = new ConnectorSettings(runtime.bootstrapServers(), KafkaClientProperties.NONE,
                processorUrl, API_KEY, 4, backoff, backoff.multipliedBy(2), Duration.ofSeconds(5), "reconcile-it");
        return CardConnector.start(settings, processor, CardConnector.Hooks.NONE);
    }

    /** Opens an account of {@link #MERCHANT} in usd and waits until the ledger has it. */
    String openAccount() {
        String account = Ids.next(Ids.ACCOUNT);
        commands.send(new OpenAccount(account, MERCHANT, "open-" + account, "usd", Instant.now(), null));
        commands.flush();
        await().atMost(WAIT).untilAsserted(() -> assertThat(ledger.count("SELECT count(*) FROM accounts WHERE id = ?",
                account)).isEqualTo(1));
        return account;
    }

    /** Publishes a card payment of {@code amount} usd to {@code account}, as the API would; returns its id. */
    String pay(String account, long amount) {
        Instant now = Instant.now();
        String paymentId = Ids.next(Ids.PAYMENT, now);
        commands.send(new CreatePayment(paymentId, MERCHANT, "card-" + paymentId, PaymentKind.CARD, amount, "usd",
                Ids.cardClearingAccount("usd"), account, null, Map.of(), now, null, "tok_visa"));
        commands.flush();
        return paymentId;
    }

    /** Waits until the ledger shows the payment with {@code status}. */
    void awaitStatus(String paymentId, String status) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(ledger.strings("SELECT status FROM payments WHERE id = ?",
                paymentId)).as("%s", services.tails()).containsExactly(status));
    }

    /** Waits until the sandbox holds a charge for the payment, and returns them all. */
    List<Charge> awaitCharged(String paymentId) {
        return await().atMost(WAIT).until(() -> processor.chargesByReference(paymentId), charges -> !charges.isEmpty());
    }

    List<Charge> charges(String paymentId) {
        return processor.chargesByReference(paymentId);
    }

    /** Replaces the sandbox's faults over its admin endpoint, e.g. {@code {"drop_after_commit_rate": "1"}}. */
    void faults(String json) throws IOException, InterruptedException {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        processorUrl.resolve("/admin/faults"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("PUT /admin/faults %s: %s", json, answer.body()).isEqualTo(200);
    }

    /** Starts {@code kassa reconcile --date <day>} as a process, with {@code extra} arguments. */
    KassaProcess startReconcile(LocalDate day, String... extra) {
        return CardCommands.startReconcile("kassa-reconcile-" + ++runs, runtime, processorUrl, API_KEY, day, extra);
    }

    /** Runs {@code kassa reconcile --date <day>} to its end: its exit code and output. */
    Reconciled reconcile(LocalDate day) throws InterruptedException {
        KassaProcess run = startReconcile(day);
        if (!run.awaitExit(WAIT)) {
            run.kill();
            throw new AssertionError("kassa reconcile did not finish within " + WAIT + ":\n" + run.tailText());
        }
        return new Reconciled(run.exitValue(), run.tailText());
    }

    /** The exit code and output of one {@code kassa reconcile}. */
    record Reconciled(int exitCode, String output) {
    }

    /** The day's reconciliation items as rows: key, kind, state, payment, kassa amount, processor amount, updated. */
    List<List<String>> items(LocalDate day) {
        return ledger.query("SELECT item_key, kind, state, payment_id, kassa_amount::text, processor_amount::text,"
                + " updated::text FROM reconciliation_items WHERE business_date = ? ORDER BY item_key", day);
    }

    @Override
    public void close() throws InterruptedException {
        try {
            services.close();
        } finally {
            commands.close();
            sandbox.close();
        }
    }
}
