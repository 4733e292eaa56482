package dev.kassa.app.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kassa.model.Ids;
import dev.kassa.model.Topics;
import dev.kassa.testing.BalanceOracle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kassa dev} as a user runs it: a separate JVM, killed with SIGKILL in the middle of its life
 * and started again on the same data directory and ports. Nothing it acknowledged may be lost, it must
 * come back as the same gateway (same banner, same credentials), keep taking payments, and a
 * graceful stop (SIGTERM) must leave no Postgres or Redis behind.
 */
@Tag("integration")
class DevRestartIT {

    /** Covers a cold first start (initdb, Kafka format, topics, schema, Streams) on a busy two-core machine. */
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration READY_ANSWER_WAIT = Duration.ofSeconds(60);
    private static final Duration KILLED_EXIT_TIMEOUT = Duration.ofSeconds(30);
    /** The shutdown hooks stop the API, Streams, the sink, Kafka, Redis and Postgres in turn. */
    private static final Duration GRACEFUL_EXIT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration LEFTOVER_EXIT_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration LEDGER_WAIT = Duration.ofSeconds(60);
    /**
     * After SIGKILL the dead JVM's consumers stay members of the sink's and the topology's groups until
     * their session times out (45 s, Kafka's default), and no partition is processed before that: a
     * payment taken right after the restart completes only then.
     */
    private static final Duration LEDGER_WAIT_AFTER_KILL = Duration.ofMinutes(2);
    private static final Duration VERIFY_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);
    private static final String DEV_HEAP_MAX = "1g";

    private static final long DEPOSIT = 10_000;
    private static final long PAYMENT = 1_250;
    private static final long PAYMENT_AFTER_RESTART = 2_000;
    /** What {@code kassa dev} created for a new data directory before its default became 2. */
    private static final int EARLIER_PARTITIONS = 6;
    private static final String EXTERNAL_USD = Ids.externalAccount("usd");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDirectory;

    /** Every child JVM this class started, for the failure log and the safety net. */
    private static final List<KassaProcess> CHILDREN = new CopyOnWriteArrayList<>();

    @RegisterExtension
    static final TestWatcher CHILD_OUTPUT_ON_FAILURE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            CHILDREN.forEach(child -> System.out.println("----- last " + KassaProcess.TAIL_LINES_MAX
                    + " lines of " + child.name() + " (pid " + child.pid() + ") -----\n" + child.tailText()
                    + "\n----- end of " + child.name() + " -----"));
        }
    };

    @Test
    void devGatewayKilledWithSigkillRestartsWithEveryPaymentAndKeepsTakingPayments() throws Exception {
        // Plan: start kassa dev in its own JVM on free ports and a fresh data directory; over HTTP create
        // a merchant, a customer account, a deposit of 10000 and a payment of 1250 to the merchant's own
        // account, and wait until Postgres holds the completed payment. SIGKILL the JVM (no shutdown hook
        // runs; Postgres and Redis stay behind as orphans) and start kassa dev again on the same
        // directory and ports. It must print the same banner (same admin token and demo merchant),
        // serve the payment as completed, show the balances our oracle expects, take a new payment,
        // and pass kassa ledger verify. A SIGTERM must then stop it within a bound, leaving no
        // process on the data directory. The first start creates the topics with 6 partitions, as
        // releases before the 2-partition default did; the restart, with today's default, must keep
        // them and every repartition topic at 6 (docs/architecture.md, Partitions).
        Ports ports = Ports.free();
        KassaProcess first = startDev("kassa-dev-first", ports, "--partitions", Integer.toString(EARLIER_PARTITIONS));
        List<String> firstBanner = awaitReady(first, ports);
        Api api = new Api("http://127.0.0.1:" + ports.api());
        Merchant merchant = createMerchant(new Api("http://127.0.0.1:" + ports.management()), api, adminToken(firstBanner));
        String customer = openAccount(api, merchant);
        BalanceOracle expected = new BalanceOracle().open(customer).open(merchant.account());
        String payment = depositThenPay(api, merchant, customer, expected);
        awaitCompletedRowInPostgres(ports.postgres(), payment, PAYMENT);

        first.kill();
        assertThat(first.awaitExit(KILLED_EXIT_TIMEOUT)).as("the first JVM died of SIGKILL").isTrue();

        KassaProcess second = startDev("kassa-dev-restarted", ports);
        List<String> secondBanner = awaitReady(second, ports);
        assertThat(adminToken(secondBanner)).as("admin token after the restart").isEqualTo(adminToken(firstBanner));
        assertThat(secondBanner).as("the whole banner after the restart").isEqualTo(firstBanner);
        assertPaymentServedCompleted(api, merchant, payment, customer);
        assertThat(expected.balance(customer)).as("oracle: customer").isEqualTo(8_750);
        assertThat(expected.balance(merchant.account())).as("oracle: merchant").isEqualTo(1_250);
        awaitBalances(api, merchant, expected, LEDGER_WAIT, customer, merchant.account());

        completedPayment(api, merchant, "/v1/payments", "payment-after-restart",
                paymentBody(customer, PAYMENT_AFTER_RESTART), LEDGER_WAIT_AFTER_KILL);
        expected.move(customer, merchant.account(), PAYMENT_AFTER_RESTART);
        awaitBalances(api, merchant, expected, LEDGER_WAIT_AFTER_KILL, customer, merchant.account());
        assertLedgerVerifies(ports.postgres());
        assertThat(partitionCounts(ports.kafka()))
                .as("partitions of every Kassa topic after a restart with another default")
                .isNotEmpty()
                .allSatisfy((topic, partitions) -> assertThat(partitions).as(topic).isEqualTo(EARLIER_PARTITIONS));

        assertSigtermStopsEverything(second);
    }

    /**
     * The partition count of every Kassa topic and repartition topic on the broker at {@code kafkaPort},
     * but {@code fraud.rules}, which has one partition whatever {@code --partitions} says.
     */
    private static Map<String, Integer> partitionCounts(int kafkaPort) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafkaPort))) {
            Set<String> kassaTopics = admin.listTopics().names().get().stream()
                    .filter(topic -> Topics.all().stream().anyMatch(known -> known.name().equals(topic))
                            || topic.endsWith("-repartition"))
                    .filter(topic -> !topic.equals(Topics.FRAUD_RULES.name()))
                    .collect(Collectors.toSet());
            Map<String, Integer> counts = new TreeMap<>();
            admin.describeTopics(kassaTopics).allTopicNames().get()
                    .forEach((topic, description) -> counts.put(topic, description.partitions().size()));
            return counts;
        }
    }

    /** Whatever happened, no child JVM, Postgres or Redis of this test may outlive it. */
    @AfterAll
    static void killLeftovers() {
        CHILDREN.forEach(KassaProcess::kill);
        List<ProcessHandle> leftovers = processesUsing(dataDirectory);
        leftovers.forEach(ProcessHandle::destroy);
        try {
            await().atMost(LEFTOVER_EXIT_TIMEOUT).until(() -> leftovers.stream().noneMatch(ProcessHandle::isAlive));
        } finally {
            leftovers.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        }
    }

    /**
     * The banner once it is printed, checked to end with the READY line, and then GET /ready answering
     * 200. Awaited rather than asked once: the API's Redis check opens its connection on the first
     * request, which on a loaded machine can take longer than the check's own two-second bound.
     */
    private static List<String> awaitReady(KassaProcess dev, Ports ports) {
        List<String> banner = dev.awaitBanner(READY_TIMEOUT);
        assertThat(banner).last().isEqualTo("READY http://localhost:" + ports.api());
        Api api = new Api("http://127.0.0.1:" + ports.management());
        await("GET /ready of " + dev.name()).atMost(READY_ANSWER_WAIT).untilAsserted(() -> {
            Reply ready = api.get("/ready", null);
            assertThat(ready.status()).as("GET /ready of %s: %s", dev.name(), ready.body()).isEqualTo(200);
        });
        return banner;
    }

    /** Deposits 10000 into the customer's account, then pays 1250 from it to the merchant's own account. */
    private static String depositThenPay(Api api, Merchant merchant, String customer, BalanceOracle expected) {
        completedPayment(api, merchant, "/v1/accounts/" + customer + "/deposits", "deposit-1",
                "{\"amount\": " + DEPOSIT + "}", LEDGER_WAIT);
        expected.move(EXTERNAL_USD, customer, DEPOSIT);
        String payment = completedPayment(api, merchant, "/v1/payments", "payment-1", paymentBody(customer, PAYMENT),
                LEDGER_WAIT);
        expected.move(customer, merchant.account(), PAYMENT);
        return payment;
    }

    /** SIGTERM: the JVM must exit within its bound after a clean stop, taking Postgres and Redis with it. */
    private static void assertSigtermStopsEverything(KassaProcess dev) throws InterruptedException {
        dev.terminate();
        assertThat(dev.awaitExit(GRACEFUL_EXIT_TIMEOUT)).as("kassa dev exits within %s of SIGTERM",
                GRACEFUL_EXIT_TIMEOUT).isTrue();
        assertThat(dev.printed("Kassa runtime stopped")).as("the runtime reported a clean stop").isTrue();
        await("no process left on " + dataDirectory).atMost(LEFTOVER_EXIT_TIMEOUT)
                .until(() -> processesUsing(dataDirectory).isEmpty());
    }

    private static KassaProcess startDev(String name, Ports ports, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("dev",
                "--data-dir", dataDirectory.toString(),
                "--port", Integer.toString(ports.api()),
                "--kafka-port", Integer.toString(ports.kafka()),
                "--kafka-controller-port", Integer.toString(ports.kafkaController()),
                "--postgres-port", Integer.toString(ports.postgres()),
                "--redis-port", Integer.toString(ports.redis()),
                "--state-port", Integer.toString(ports.state()),
                "--management-port", Integer.toString(ports.management()),
                "--processor-port", Integer.toString(ports.processor())));
        args.addAll(List.of(extraArgs));
        KassaProcess child = KassaProcess.start(name, DEV_HEAP_MAX, args);
        CHILDREN.add(child);
        return child;
    }

    /** The admin token from the banner line {@code   admin token      kat_…}. */
    private static String adminToken(List<String> banner) {
        String line = banner.stream().map(String::trim).filter(l -> l.startsWith("admin token")).findFirst()
                .orElseThrow(() -> new AssertionError("no admin token in the banner:\n" + String.join("\n", banner)));
        String[] words = line.split("\\s+");
        return words[words.length - 1];
    }

    /** Creates a merchant through the management listener {@code management}, then waits until {@code api} finds its account. */
    private static Merchant createMerchant(Api management, Api api, String adminToken) {
        Reply created = management.post("/admin/merchants", adminToken, null, "{\"name\": \"Restart test\"}");
        // 202 means the merchant's account is still being opened; it is usable once GET finds it.
        assertThat(created.status()).as("POST /admin/merchants: %s", created.body()).isIn(201, 202);
        Merchant merchant = new Merchant(created.text("secret_key"), created.text("account"));
        awaitAccountVisible(api, merchant, merchant.account());
        return merchant;
    }

    private static String openAccount(Api api, Merchant merchant) {
        Reply opened = api.post("/v1/accounts", merchant.secretKey(), "customer-account", "{\"currency\": \"usd\"}");
        assertThat(opened.status()).as("POST /v1/accounts: %s", opened.body()).isIn(201, 202);
        String account = opened.text("id");
        awaitAccountVisible(api, merchant, account);
        return account;
    }

    private static void awaitAccountVisible(Api api, Merchant merchant, String account) {
        await("account " + account + " readable").atMost(LEDGER_WAIT)
                .until(() -> api.get("/v1/accounts/" + account, merchant.secretKey()).status() == 200);
    }

    /**
     * Posts a payment or deposit and waits until the API serves it as completed from Postgres. The
     * answer is {@code 201 completed}, or {@code 202 pending} when the topology's verdict took longer
     * than the API's outcome wait (a busy machine); either way it must end completed.
     */
    private static String completedPayment(Api api, Merchant merchant, String path, String idempotencyKey,
                                           String body, Duration wait) {
        Reply reply = api.post(path, merchant.secretKey(), idempotencyKey, body);
        System.out.println("[DevRestartIT] POST " + path + " (" + idempotencyKey + ") answered " + reply.status());
        assertThat(reply.status()).as("POST %s: %s", path, reply.body()).isIn(201, 202);
        assertThat(reply.text("status")).as("POST %s: %s", path, reply.body())
                .isEqualTo(reply.status() == 201 ? "completed" : "pending");
        String id = reply.text("id");
        await(id + " completed").atMost(wait).until(() -> {
            Reply fetched = api.get("/v1/payments/" + id, merchant.secretKey());
            return fetched.status() == 200 && fetched.text("status").equals("completed");
        });
        return id;
    }

    private static String paymentBody(String source, long amount) {
        return "{\"amount\": " + amount + ", \"currency\": \"usd\", \"source\": \"" + source
                + "\", \"description\": \"restart test\"}";
    }

    private static void awaitCompletedRowInPostgres(int postgresPort, String payment, long amount) {
        await("completed row of " + payment + " in Postgres").atMost(LEDGER_WAIT)
                .until(() -> paymentRow(postgresPort, payment), row -> row.equals(Optional.of("completed " + amount)));
    }

    private static Optional<String> paymentRow(int postgresPort, String payment) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl(postgresPort), "postgres", "postgres");
                PreparedStatement query = connection.prepareStatement(
                        "SELECT status || ' ' || amount FROM payments WHERE id = ?")) {
            query.setString(1, payment);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
            }
        }
    }

    private static void assertPaymentServedCompleted(Api api, Merchant merchant, String payment, String customer) {
        Reply fetched = await("GET " + payment + " after the restart").atMost(LEDGER_WAIT)
                .until(() -> api.get("/v1/payments/" + payment, merchant.secretKey()), reply -> reply.status() == 200);
        assertThat(fetched.text("status")).isEqualTo("completed");
        assertThat(fetched.body().get("amount").asLong()).isEqualTo(PAYMENT);
        assertThat(fetched.text("source")).isEqualTo(customer);
        assertThat(fetched.text("destination")).isEqualTo(merchant.account());
    }

    /** Balances are read by the API from the sink's Postgres rows, so they follow a payment shortly. */
    private static void awaitBalances(Api api, Merchant merchant, BalanceOracle expected, Duration wait,
                                      String... accounts) {
        await("balances of " + String.join(", ", accounts) + " as the oracle says").atMost(wait)
                .untilAsserted(() -> {
                    for (String account : accounts) {
                        Reply reply = api.get("/v1/accounts/" + account, merchant.secretKey());
                        assertThat(reply.status()).as("GET account %s: %s", account, reply.body()).isEqualTo(200);
                        assertThat(reply.body().get("balance").asLong()).as("balance of %s", account)
                                .isEqualTo(expected.balance(account));
                    }
                });
    }

    private static void assertLedgerVerifies(int postgresPort) throws InterruptedException {
        KassaProcess verify = KassaProcess.start("kassa-ledger-verify", "256m", List.of("ledger", "verify",
                "--jdbc-url", jdbcUrl(postgresPort), "--jdbc-user", "postgres", "--jdbc-password", "postgres"));
        CHILDREN.add(verify);
        assertThat(verify.awaitExit(VERIFY_TIMEOUT)).as("kassa ledger verify finished").isTrue();
        assertThat(verify.exitValue()).as("kassa ledger verify exit code; its output:\n%s", verify.tailText())
                .isZero();
        assertThat(verify.printed("ledger verified: every invariant holds")).isTrue();
    }

    private static String jdbcUrl(int postgresPort) {
        return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/kassa";
    }

    /**
     * Live processes whose command line names {@code directory}: the kassa JVMs (by {@code --data-dir}),
     * the postmaster (by {@code -D}) and redis-server (its title carries its config file).
     */
    private static List<ProcessHandle> processesUsing(Path directory) {
        String marker = directory.toAbsolutePath().toString();
        long self = ProcessHandle.current().pid();
        return ProcessHandle.allProcesses()
                .filter(process -> process.pid() != self && process.isAlive())
                .filter(process -> commandLine(process).map(line -> line.contains(marker)).orElse(false))
                .toList();
    }

    /** Read from /proc where there is one: Redis rewrites its title, which ProcessHandle.Info misreports. */
    private static Optional<String> commandLine(ProcessHandle process) {
        try {
            String line = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"),
                    StandardCharsets.UTF_8);
            return Optional.of(line.replace('\0', ' '));
        } catch (IOException | RuntimeException e) {
            return process.info().commandLine();
        }
    }

    /**
     * The ports of one kassa dev, free on the loopback interface a moment ago and all different; the
     * management listeners take {@code management} and the two ports after it.
     */
    private record Ports(int api, int kafka, int kafkaController, int postgres, int redis, int state, int management,
                         int processor) {

        /**
         * Ports are picked below the kernel's ephemeral range (Linux: 32768 and up by default), never
         * from it: the port of a just-closed {@code ServerSocket(0)} is an ephemeral one, and an outgoing
         * connection of the starting dev process (to its Kafka, Postgres or Redis) could take it as its
         * local port before the listener binds it ("Port already in use"). Nothing takes a port below
         * the range unless it binds it by number.
         */
        private static final int PORT_MIN = 20_000;
        private static final int PORT_MAX = 32_000;

        static Ports free() throws IOException {
            List<ServerSocket> sockets = new ArrayList<>();
            try {
                int port = PORT_MIN + new Random().nextInt(PORT_MAX - PORT_MIN - 2_000);
                List<Integer> singles = new ArrayList<>();
                for (; singles.size() < 7 && port < PORT_MAX; port++) {
                    if (bound(sockets, port)) {
                        singles.add(port);
                    }
                }
                for (; port + 2 < PORT_MAX; port++) {
                    // The management listener takes three ports in a row (API, topology, sink).
                    if (bound(sockets, port) && bound(sockets, port + 1) && bound(sockets, port + 2)) {
                        return new Ports(singles.get(0), singles.get(1), singles.get(2), singles.get(3), singles.get(4),
                                singles.get(5), port, singles.get(6));
                    }
                }
                throw new IOException("no free ports between " + PORT_MIN + " and " + PORT_MAX + " on the loopback interface");
            } finally {
                for (ServerSocket socket : sockets) {
                    socket.close();
                }
            }
        }

        /** Binds {@code port} on the loopback interface and keeps the socket in {@code sockets}; false when taken. */
        private static boolean bound(List<ServerSocket> sockets, int port) throws IOException {
            ServerSocket socket = new ServerSocket();
            try {
                socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
            } catch (IOException inUse) {
                socket.close();
                return false;
            }
            sockets.add(socket);
            return true;
        }
    }

    private record Merchant(String secretKey, String account) {
    }

    private record Reply(int status, JsonNode body) {

        String text(String field) {
            JsonNode value = body.get(field);
            if (value == null || value.isNull()) {
                throw new AssertionError("no " + field + " in " + body);
            }
            return value.asText();
        }
    }

    /** The gateway's HTTP API, as curl would use it. */
    private static final class Api {

        private final String baseUrl;
        private final HttpClient client = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();

        Api(String baseUrl) {
            this.baseUrl = baseUrl;
        }

        Reply get(String path, String bearer) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(HTTP_TIMEOUT).GET();
            if (bearer != null) {
                request.header("Authorization", "Bearer " + bearer);
            }
            return send(request.build());
        }

        Reply post(String path, String bearer, String idempotencyKey, String json) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(HTTP_TIMEOUT)
                    .header("Authorization", "Bearer " + bearer)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json));
            if (idempotencyKey != null) {
                request.header("Idempotency-Key", idempotencyKey);
            }
            return send(request.build());
        }

        private Reply send(HttpRequest request) {
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                String body = response.body();
                return new Reply(response.statusCode(), body.isEmpty() ? JSON.createObjectNode() : JSON.readTree(body));
            } catch (IOException e) {
                throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during " + request.method() + " " + request.uri(), e);
            }
        }
    }
}
