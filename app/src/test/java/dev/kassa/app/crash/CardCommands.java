package dev.kassa.app.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kassa.model.CreatePayment;
import dev.kassa.model.Ids;
import dev.kassa.model.OpenAccount;
import dev.kassa.model.PaymentKind;
import dev.kassa.processor.Charge;
import dev.kassa.processor.HttpCardProcessor;
import dev.kassa.runtime.EmbeddedPostgresServer;
import dev.kassa.runtime.EmbeddedRuntime;
import dev.kassa.testing.LedgerSql;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the card crash tests publish and set up the same way: a merchant's accounts opened through the
 * topology, card payment commands as the API would publish them, and the sandbox's faults turned off
 * over its admin endpoint before the test reads its charges.
 */
final class CardCommands {

    private CardCommands() {
    }

    /**
     * Starts {@code kassa reconcile --date <day>} as a process of its own against the runtime and the
     * sandbox at {@code processorUrl}, with {@code extra} arguments.
     */
    static KassaProcess startReconcile(String name, EmbeddedRuntime runtime, URI processorUrl, String apiKey,
                                       LocalDate day, String... extra) {
        List<String> arguments = new ArrayList<>(List.of("reconcile", "--date", day.toString(),
                "--kafka-bootstrap", runtime.bootstrapServers(),
                "--jdbc-url", runtime.jdbcUrl(),
                "--jdbc-user", EmbeddedPostgresServer.USER,
                "--jdbc-password", EmbeddedPostgresServer.PASSWORD,
                "--processor-url", processorUrl.toString(),
                "--processor-api-key", apiKey));
        arguments.addAll(List.of(extra));
        return KassaProcess.start(name, KassaServices.JVM_OPTIONS, arguments);
    }

    /** Opens {@code count} USD accounts of {@code merchant} and waits until the ledger holds them. */
    static List<String> openAccounts(CommandProducer commands, LedgerSql ledger, String merchant, int count,
                                     Duration wait) {
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String account = Ids.next(Ids.ACCOUNT);
            accounts.add(account);
            commands.send(new OpenAccount(account, merchant, "open-" + i, "usd", Instant.now(), null));
        }
        commands.flush();
        await().atMost(wait).untilAsserted(() -> assertThat(ledger.count(
                "SELECT count(*) FROM accounts WHERE merchant_id = ?", merchant)).isEqualTo(count));
        return accounts;
    }

    /** A USD card payment of {@code merchant} with key {@code card-<index>}, as the API publishes it. */
    static CreatePayment card(String merchant, int index, String destination, long amount, String token) {
        Instant now = Instant.now();
        return new CreatePayment(Ids.next(Ids.PAYMENT, now), merchant, "card-" + index, PaymentKind.CARD, amount, "usd",
                Ids.cardClearingAccount("usd"), destination, null, Map.of(), now, null, token);
    }

    /** Waits until Postgres holds every one of the {@code count} payments of {@code merchant} completed or failed. */
    static void awaitDecided(LedgerSql ledger, String merchant, int count, Duration wait, Supplier<String> tails) {
        await().atMost(wait).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(ledger.count(
                "SELECT count(*) FROM payments WHERE merchant_id = ? AND status IN ('completed', 'failed')",
                merchant)).as("%s", tails.get()).isEqualTo(count));
    }

    /**
     * Turns the sandbox's faults off (they were for the connector) and asserts it holds exactly one
     * charge per payment; returns the client the charges were read with.
     */
    static HttpCardProcessor assertOneChargeEach(URI processorUrl, String apiKey, String adminToken,
                                                 List<CreatePayment> payments) throws IOException, InterruptedException {
        faultsOff(processorUrl, adminToken);
        HttpCardProcessor processor = new HttpCardProcessor(processorUrl, apiKey, Duration.ofSeconds(10),
                Duration.ofSeconds(5));
        for (CreatePayment payment : payments) {
            List<Charge> made = processor.chargesByReference(payment.paymentId());
            assertThat(made).as("charges of %s", payment.paymentId()).hasSize(1);
        }
        return processor;
    }

    /** {@code PUT /admin/faults {}}: the sandbox answers without faults from now on. */
    private static void faultsOff(URI processorUrl, String adminToken) throws IOException, InterruptedException {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(processorUrl.resolve("/admin/faults"))
                        .header("Authorization", "Bearer " + adminToken)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("PUT /admin/faults: %s", answer.body()).isEqualTo(200);
    }
}
