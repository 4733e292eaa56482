package dev.kassa.app.e2e;

import dev.kassa.app.connector.CardConnector;
import dev.kassa.app.connector.ConnectorSettings;
import dev.kassa.model.KafkaClientProperties;
import dev.kassa.processor.CardProcessor;
import dev.kassa.processor.Charge;
import dev.kassa.processor.HttpCardProcessor;
import dev.kassa.processor.sim.Faults;
import dev.kassa.processor.sim.ProcessorSandbox;
import dev.kassa.processor.sim.SandboxSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The card processor sandbox ({@code kassa processor-sim}'s server, on a real socket and its own
 * journal) and a way to start card connectors against it and a test gateway's Kafka: what the card
 * payment tests run beside the shared gateway. Faults are set over HTTP, on its admin endpoint, and
 * charges are read back by reference, as an operator would (docs/processor-sim.md).
 */
final class CardSandbox implements AutoCloseable {

    static final String API_KEY = "sk_sandbox_cards_it";
    private static final String ADMIN_TOKEN = "adm_sandbox_cards_it";

    private final ProcessorSandbox sandbox;
    private final URI url;
    private final HttpCardProcessor client;

    private CardSandbox(ProcessorSandbox sandbox) {
        this.sandbox = sandbox;
        this.url = URI.create("http://127.0.0.1:" + sandbox.port());
        this.client = new HttpCardProcessor(url, API_KEY, Duration.ofSeconds(10), Duration.ofSeconds(5));
    }

    static CardSandbox start() {
        try {
            Path data = Files.createTempDirectory("kassa-card-sandbox-");
            return new CardSandbox(new ProcessorSandbox(new SandboxSettings("127.0.0.1", 0, API_KEY, ADMIN_TOKEN, data,
                    Faults.NONE, 19)).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI url() {
        return url;
    }

    /** A connector on {@code kafkaBootstrap} against this sandbox, retrying unknown outcomes after {@code backoff}. */
    CardConnector connector(String kafkaBootstrap, Duration backoff, CardConnector.Hooks hooks) {
        return connector(kafkaBootstrap, backoff, hooks, UnaryOperator.identity());
    }

    /** The same, its processor calls passing through {@code around} (e.g. {@link HeldAnswers}). */
    CardConnector connector(String kafkaBootstrap, Duration backoff, CardConnector.Hooks hooks,
                            UnaryOperator<CardProcessor> around) {
        ConnectorSettings settings = connectorSettings(kafkaBootstrap, backoff);
        return CardConnector.start(settings, around.apply(processor(settings)), hooks);
    }

    /** A connector's settings against this sandbox: 4 calls at once, retries after {@code backoff}. */
    ConnectorSettings connectorSettings(String kafkaBootstrap, Duration backoff) {
        return new ConnectorSettings(kafkaBootstrap, KafkaClientProperties.NONE, url, API_KEY, 4,
                backoff, backoff.multipliedBy(2), Duration.ofSeconds(5), "connector-it");
    }

    /** The sandbox over HTTP, as a connector with {@code settings} calls it. */
    HttpCardProcessor processor(ConnectorSettings settings) {
        return new HttpCardProcessor(url, API_KEY, settings.requestTimeout(), Duration.ofSeconds(5));
    }

    /** Replaces the sandbox's faults, e.g. {@code {"drop_after_commit_rate": "1"}}; {@code {}} turns them off. */
    void faults(String json) {
        HttpRequest request = HttpRequest.newBuilder(url.resolve("/admin/faults"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json))
                .build();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the sandbox refused faults " + json + ": " + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The sandbox's client, as the connector and reconciliation use it. */
    HttpCardProcessor processor() {
        return client;
    }

    /** Every charge the sandbox made under {@code reference} (a payment id). */
    List<Charge> charges(String reference) {
        return client.chargesByReference(reference);
    }

    /** The refund lines of today's settlement report for {@code reference}. */
    List<String> refundLines(String reference) {
        String report = client.settlementReport(LocalDate.now(ZoneOffset.UTC));
        return Arrays.stream(report.split("\n"))
                .filter(line -> line.startsWith("refund,") && line.contains("," + reference + ","))
                .toList();
    }

    @Override
    public void close() {
        sandbox.close();
    }
}
