package dev.kassa.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kassa.api.ApiSettings;
import dev.kassa.app.Connections;
import dev.kassa.app.DevCredentials;
import dev.kassa.app.Gateway;
import dev.kassa.app.GatewaySettings;
import dev.kassa.app.TopologyServiceSettings;
import dev.kassa.app.reconcile.DailyReconciliation;
import dev.kassa.app.reconcile.ReconcileServices;
import dev.kassa.ledger.postgres.PostgresSettings;
import dev.kassa.model.KafkaClientProperties;
import dev.kassa.processor.sim.SandboxSettings;
import dev.kassa.runtime.EmbeddedRuntime;
import dev.kassa.runtime.RuntimeConfig;
import dev.kassa.topology.StreamsSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kassa dev}: Kafka, Postgres and Redis embedded, the three services on them, the card processor
 * sandbox ({@code kassa processor-sim}'s server, in this process, its journal under
 * {@code <data-dir>/processor}) and the card connector, a demo merchant, and a banner saying where
 * everything is. Data survives restarts, also after {@code kill -9}. When the
 * topology or the sink dies, it stops everything and exits 1.
 */
@Command(name = "dev", mixinStandardHelpOptions = true,
        description = "Run the whole gateway on embedded Kafka, Postgres and Redis.",
        defaultValueProvider = SettingsDefaults.class)
public final class DevCommand implements Callable<Integer> {

    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);
    /** Bound on waiting for the demo merchant's account after a {@code 202}. */
    private static final Duration ACCOUNT_OPEN_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ACCOUNT_OPEN_POLL = Duration.ofMillis(100);

    @Option(names = "--data-dir", defaultValue = ".kassa", description = "Data directory (default ${DEFAULT-VALUE}).")
    Path dataDirectory;

    @Option(names = "--port", defaultValue = "" + ApiSettings.PORT_DEFAULT,
            description = "API port (default ${DEFAULT-VALUE}).")
    int apiPort;

    @Option(names = "--kafka-port", defaultValue = "19092", description = "Kafka port (default ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--kafka-controller-port", defaultValue = "19093",
            description = "Kafka KRaft controller port (default ${DEFAULT-VALUE}).")
    int kafkaControllerPort;

    @Option(names = "--postgres-port", defaultValue = "15432", description = "Postgres port (default ${DEFAULT-VALUE}).")
    int postgresPort;

    @Option(names = "--redis-port", defaultValue = "16379", description = "Redis port (default ${DEFAULT-VALUE}).")
    int redisPort;

    @Option(names = "--partitions", defaultValue = "" + GatewaySettings.PARTITIONS_DEFAULT,
            description = "Partitions of Kassa's topics when a new data directory creates them (default ${DEFAULT-VALUE}); an"
                    + " existing data directory keeps its count.")
    int partitions;

    @Option(names = "--state-port", defaultValue = "" + TopologyServiceSettings.STATE_PORT_DEFAULT,
            description = "Port of the topology's state endpoint, GET /state/... (default ${DEFAULT-VALUE}).")
    int statePort;

    @Option(names = "--management-port", defaultValue = "" + ApiSettings.MANAGEMENT_PORT_DEFAULT,
            description = "Port of the API's management listener (/admin, /health, /ready, /metrics) on 127.0.0.1; the "
                    + "topology's is the next port, the sink's the one after; 0 picks free ports (default ${DEFAULT-VALUE}).")
    int managementPort;

    @Option(names = "--stream-threads", defaultValue = "" + StreamsSettings.STREAM_THREADS_DEFAULT,
            description = "Kafka Streams threads of the topology (default ${DEFAULT-VALUE}).")
    int streamThreads;

    @Option(names = "--processor-port", defaultValue = "" + SandboxSettings.PORT_DEFAULT,
            description = "Port of the card processor sandbox on 127.0.0.1, 0 for any free one (default ${DEFAULT-VALUE}).")
    int processorPort;

    @Mixin
    IdempotencyOptions idempotency;

    @Mixin
    RateLimitOptions rateLimits;

    @Mixin
    DepositLimitOptions depositLimits;

    @Override
    public Integer call() throws IOException, InterruptedException {
        EmbeddedRuntime runtime = EmbeddedRuntime.start(
                new RuntimeConfig(dataDirectory, kafkaPort, kafkaControllerPort, postgresPort, redisPort));
        Connections connections = new Connections(runtime.bootstrapServers(), runtime.jdbcUrl(),
                runtime.postgres().user(), runtime.postgres().password(), runtime.redisUri());
        DevCredentials credentials = DevCredentials.loadOrCreate(runtime.dataDirectory());
        GatewaySettings settings = GatewaySettings.builder(connections, credentials.adminToken(),
                        runtime.dataDirectory().resolve("streams")).partitions(partitions).apiPort(apiPort)
                .instanceId("kassa-dev").idempotency(idempotency.toSettings()).statePort(statePort)
                .streamThreads(streamThreads).rateLimits(rateLimits.toLimits()).depositLimits(depositLimits.toLimits())
                .managementPort(managementPort).build();
        Gateway gateway = Gateway.start(settings);
        runtime.closeFirst(gateway);
        DevCards cards = DevCards.start(runtime.dataDirectory(), processorPort, credentials.adminToken(),
                connections.kafkaBootstrap());
        runtime.closeFirst(cards);
        runtime.closeFirst(ReconcileServices.startDaily(PostgresSettings.of(connections.jdbcUrl(),
                connections.jdbcUser(), connections.jdbcPassword()), connections.kafkaBootstrap(),
                KafkaClientProperties.NONE, cards.url(), cards.apiKey(), DailyReconciliation.DELAY_DEFAULT));
        if (credentials.demoMerchant().isEmpty()) {
            credentials = credentials.withDemoMerchant(
                    createDemoMerchant(gateway.managementUrl(), gateway.apiUrl(), credentials.adminToken()));
            credentials.save(runtime.dataDirectory());
        }
        printBanner(runtime, gateway, connections, credentials, cards);
        // One process runs everything: when the topology, the sink or the connector dies, the whole of it exits
        // non-zero rather than keep answering payments that nothing decides or books (docs/api.md).
        return UntilShutdown.await(runtime, gateway.failure().applyToEither(cards.failure(), reason -> reason));
    }

    private static DevCredentials.DemoMerchant createDemoMerchant(String managementUrl, String apiUrl, String adminToken)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(managementUrl + "/admin/merchants"))
                .timeout(HTTP_TIMEOUT)
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "kassa-dev-demo-merchant")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"Demo merchant\"}"))
                .build();
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201 && response.statusCode() != 202) {
            throw new IllegalStateException("cannot create the demo merchant: " + response.statusCode() + " "
                    + response.body());
        }
        JsonNode merchant = new ObjectMapper().readTree(response.body());
        DevCredentials.DemoMerchant demo = new DevCredentials.DemoMerchant(merchant.get("id").asText(),
                merchant.get("secret_key").asText(), merchant.get("account").asText());
        if (response.statusCode() == 202) {
            awaitAccountOpen(client, apiUrl, demo);
        }
        return demo;
    }

    /**
     * A {@code 202} means the merchant exists but its account is still being opened (a first start on a
     * slow machine can take longer than the API's outcome wait): the banner, whose READY line says the
     * gateway takes payments, waits until the account answers.
     */
    private static void awaitAccountOpen(HttpClient client, String apiUrl, DevCredentials.DemoMerchant demo)
            throws IOException, InterruptedException {
        HttpRequest get = HttpRequest.newBuilder(URI.create(apiUrl + "/v1/accounts/" + demo.accountId()))
                .timeout(HTTP_TIMEOUT)
                .header("Authorization", "Bearer " + demo.secretKey())
                .GET()
                .build();
        long deadline = System.nanoTime() + ACCOUNT_OPEN_TIMEOUT.toNanos();
        int status = client.send(get, HttpResponse.BodyHandlers.discarding()).statusCode();
        while (status != 200) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the demo merchant's account " + demo.accountId()
                        + " was not opened within " + ACCOUNT_OPEN_TIMEOUT + " (last answer " + status + ")");
            }
            Thread.sleep(ACCOUNT_OPEN_POLL.toMillis());
            status = client.send(get, HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }

    /**
     * Prints the banner in one write, so that log lines of the services' own threads (which share
     * standard output) cannot land between its lines.
     */
    private static void printBanner(EmbeddedRuntime runtime, Gateway gateway, Connections connections,
                                    DevCredentials credentials, DevCards cards) {
        DevCredentials.DemoMerchant demo = credentials.demoMerchant().orElseThrow();
        String apiUrl = "http://localhost:" + gateway.api().port();
        StringBuilder banner = new StringBuilder(System.lineSeparator());
        line(banner, "Kassa is running. Ctrl-C stops it.");
        line(banner, "  API              " + apiUrl);
        line(banner, "  management       " + gateway.managementUrl() + "   (/admin, /health, /ready, /metrics)");
        line(banner, "  topology mgmt    " + gateway.topologyManagementUrl() + "   (/health, /ready, /metrics)");
        line(banner, "  sink mgmt        " + gateway.sinkManagementUrl() + "   (/health, /ready, /metrics)");
        line(banner, "  admin token      " + credentials.adminToken());
        line(banner, "  demo merchant    " + demo.secretKey() + "   (merchant " + demo.merchantId()
                + ", account " + demo.accountId() + ")");
        line(banner, "  card processor   " + cards.url() + "   (sandbox, API key " + cards.apiKey()
                + ", admin token " + cards.adminToken() + "; the card connector is running)");
        line(banner, "  Kafka bootstrap  " + connections.kafkaBootstrap());
        line(banner, "  Redis            " + connections.redisUri());
        line(banner, "  Postgres         " + connections.jdbcUrl() + "?user=" + connections.jdbcUser()
                + "&password=" + connections.jdbcPassword());
        line(banner, "  data directory   " + runtime.dataDirectory());
        gateway.stateUrl().ifPresent(stateUrl -> {
            String state = "http://localhost:" + URI.create(stateUrl).getPort() + "/state/";
            line(banner, "  state            " + state + "idempotency/{merchant}/{key}?account={account}");
            line(banner, "                   " + state + "fraud/{account}");
        });
        line(banner, "READY " + apiUrl);
        System.out.print(banner);
        System.out.flush();
    }

    private static void line(StringBuilder banner, String line) {
        banner.append(line).append(System.lineSeparator());
    }
}
