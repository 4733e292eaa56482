package dev.kassa.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.kassa.api.RateLimits;
import dev.kassa.app.Gateway;
import dev.kassa.app.GatewaySettings;
import dev.kassa.app.RulePublisher;
import dev.kassa.app.TopologyServiceSettings;
import dev.kassa.app.cli.DevCards;
import dev.kassa.bench.baseline.BaselineServer;
import dev.kassa.bench.drain.SinkDrain;
import dev.kassa.bench.load.HttpApi;
import dev.kassa.bench.load.LoadThreads;
import dev.kassa.bench.measure.BaselineLedgerProbe;
import dev.kassa.bench.measure.KassaLedgerProbe;
import dev.kassa.bench.measure.LedgerProbe;
import dev.kassa.bench.net.Datastores;
import dev.kassa.bench.setup.Fixture;
import dev.kassa.bench.setup.FixtureBuilder;
import dev.kassa.fraud.RuleSet;
import dev.kassa.ledger.postgres.PostgresSettings;
import dev.kassa.model.Money;
import dev.kassa.runtime.EmbeddedRuntime;
import dev.kassa.runtime.RuntimeConfig;
import dev.kassa.topology.treasury.DepositLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the runs drive and read: Kassa's API (embedded, or a running gateway given by URL), Postgres
 * to read the ledger from, and — embedded only — the baseline beside Kassa on the same Postgres and
 * Redis. The embedded mode starts the runtime and the three services in this process as
 * {@code kassa dev} does, and publishes the bench rule set ({@link #BENCH_RULES}) before any run.
 * With a datastore round trip, Kassa's services and the baseline both reach Kafka, Postgres and Redis
 * through delay proxies ({@link Datastores}); the bench's own setup and ledger reads stay direct.
 */
public final class BenchEnvironment implements AutoCloseable {

    /**
     * The bench's rate limits: its load generator is one client address and one merchant key asking
     * for as much as the gateway can take, which is what it measures, so no limit may refuse it.
     */
    static final RateLimits BENCH_LIMITS = new RateLimits(1_000_000, 10_000_000, 1_000_000, 10_000_000, 100_000,
            100_000, 100_000);

    /**
     * The bench's deposit limits: each run's one merchant funds every source with
     * {@link FixtureBuilder#SOURCE_FUNDING} (more than the default single limit), many sources a day,
     * and runs pile up in one data directory, so every limit is the largest allowed: the largest
     * amount a deposit may carry, and the largest cap, which still keeps every balance far from overflow.
     */
    static final DepositLimits BENCH_DEPOSIT_LIMITS = new DepositLimits(DepositLimits.SUPPLY_CAP_MAX, Money.AMOUNT_MAX,
            DepositLimits.SUPPLY_CAP_MAX);


    private static final Logger LOG = LoggerFactory.getLogger(BenchEnvironment.class);
    /** The fraud rules of embedded runs: no velocity rules, so the load's own shape is never blocked. */
    public static final String BENCH_RULES = "/dev/kassa/bench/bench-rules.json";
    private static final String BENCH_RULES_MARKER = "bench-marker";
    private static final Duration RULES_IN_FORCE_TIMEOUT = Duration.ofSeconds(90);

    private final String apiUrl;
    private final String managementUrl;
    private final String adminToken;
    private final HikariDataSource ledgerPool;
    private final Datastores datastores;
    private final RuleSet rules;
    private final Map<String, HttpApi> clients = new HashMap<>();
    private final ExecutorService httpExecutor = Executors.newCachedThreadPool(LoadThreads.named("bench-http"));
    private final Deque<AutoCloseable> owned = new ArrayDeque<>();
    private BaselineServer baseline;
    private DevCards cards;

    private BenchEnvironment(String apiUrl, String managementUrl, String adminToken, HikariDataSource ledgerPool,
                             Datastores datastores, RuleSet rules) {
        this.apiUrl = apiUrl;
        this.managementUrl = managementUrl;
        this.adminToken = adminToken;
        this.ledgerPool = ledgerPool;
        this.datastores = datastores;
        this.rules = rules;
    }

    /**
     * Starts Kafka, Postgres and Redis embedded in {@code dataDirectory}, Kassa's services on them, and
     * publishes the bench rule set, waiting until the topology judges payments by it.
     *
     * @param datastoreRoundTrip the delay every exchange of the services (and later the baseline) with
     *                           Kafka, Postgres or Redis pays, 0 for direct connections
     */
    public static BenchEnvironment embedded(Path dataDirectory, int partitions, int streamThreads,
                                            Duration datastoreRoundTrip) throws InterruptedException {
        Datastores datastores = Datastores.start(RuntimeConfig.withFreePorts(dataDirectory), datastoreRoundTrip);
        EmbeddedRuntime runtime = datastores.runtime();
        try {
            String adminToken = "bench_admin_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
            GatewaySettings settings = GatewaySettings.builder(datastores.connections(), adminToken,
                            runtime.dataDirectory().resolve("streams")).partitions(partitions).instanceId("kassa-bench")
                    .statePort(TopologyServiceSettings.STATE_PORT_NONE).streamThreads(streamThreads)
                    .rateLimits(BENCH_LIMITS).depositLimits(BENCH_DEPOSIT_LIMITS).build();
            Gateway gateway = Gateway.start(settings);
            runtime.closeFirst(gateway);
            RuleSet rules = RulePublisher.publish(runtime.bootstrapServers(), partitions, (short) 1, benchRules());
            HikariDataSource pool = PostgresSettings.of(runtime.jdbcUrl(), runtime.postgres().user(),
                    runtime.postgres().password()).openPool();
            BenchEnvironment environment = new BenchEnvironment(gateway.apiUrl(), gateway.managementUrl(), adminToken, pool,
                    datastores, rules);
            environment.awaitBenchRules();
            return environment;
        } catch (RuntimeException | InterruptedException e) {
            datastores.close();
            throw e;
        }
    }

    /**
     * A running gateway at {@code apiUrl}, whose API's management listener ({@code /admin}) is at
     * {@code managementUrl}. Without {@code postgres} nothing is read back from the
     * ledger (no completed/s, end-to-end latency or verification). With {@code kafkaBootstrap} the
     * bench rule set is published there first — to that gateway's topology, for every merchant.
     */
    public static BenchEnvironment target(String apiUrl, String managementUrl, String adminToken,
                                          PostgresSettings postgres, String kafkaBootstrap, int partitions)
            throws InterruptedException {
        Objects.requireNonNull(apiUrl, "apiUrl");
        Objects.requireNonNull(managementUrl, "managementUrl");
        Objects.requireNonNull(adminToken, "adminToken");
        RuleSet rules = kafkaBootstrap == null ? null
                : RulePublisher.publish(kafkaBootstrap, partitions, (short) 1, benchRules());
        BenchEnvironment environment = new BenchEnvironment(apiUrl, managementUrl, adminToken,
                postgres == null ? null : postgres.openPool(), null, rules);
        if (rules != null) {
            environment.awaitBenchRules();
        }
        return environment;
    }

    /** The bench rule file as shipped. */
    public static byte[] benchRules() {
        try (InputStream in = BenchEnvironment.class.getResourceAsStream(BENCH_RULES)) {
            return Objects.requireNonNull(in, BENCH_RULES).readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + BENCH_RULES, e);
        }
    }

    /** The rule set the runs are judged by, when the harness published one. */
    public Optional<RuleSet> rules() {
        return Optional.ofNullable(rules);
    }

    public String rulesText() {
        return rules == null ? "the target's own rule set (not published by the harness)"
                : new String(benchRules(), StandardCharsets.UTF_8);
    }

    /** The API client of Kassa, or of the baseline when {@code baseline}; one per server, closed with the environment. */
    public HttpApi api(boolean baseline) {
        return client(baseline ? baseline().url() : apiUrl);
    }

    public FixtureBuilder fixtures(boolean baseline) {
        // Kassa serves /admin on its management listener; the baseline on its one port.
        return new FixtureBuilder(api(baseline), baseline ? api(true) : client(managementUrl), adminToken);
    }

    private synchronized HttpApi client(String url) {
        return clients.computeIfAbsent(url, base -> new HttpApi(base, httpExecutor));
    }

    /**
     * The ledger of Kassa or of the baseline; empty for a target without Postgres. Both read directly
     * (the baseline's schema is in Kassa's database), past any datastore delay and the baseline's pool.
     */
    public Optional<LedgerProbe> probe(boolean baseline) {
        if (baseline) {
            baseline();
            return Optional.of(new BaselineLedgerProbe(ledgerPool));
        }
        return ledgerPool == null ? Optional.empty() : Optional.of(new KassaLedgerProbe(ledgerPool));
    }

    /** The baseline, started on first use on the embedded Postgres and Redis, behind the same delay as Kassa. */
    public synchronized BaselineServer baseline() {
        if (datastores == null) {
            throw new IllegalStateException("the baseline runs only on the embedded runtime, not with --target");
        }
        if (baseline == null) {
            EmbeddedRuntime runtime = datastores.runtime();
            baseline = BaselineServer.start(datastores.jdbcUrl(), runtime.postgres().user(),
                    runtime.postgres().password(), datastores.redisUri(), BaselineServer.POOL_SIZE_DEFAULT);
            owned.push(baseline);
            LOG.info("baseline (the seed's naive design) serving at {}", baseline.url());
        }
        return baseline;
    }

    /**
     * The card path of the card scenario: embedded, the processor sandbox (its journal in the data
     * directory) and the card connector, started on first use as {@code kassa dev} runs them, the
     * connector reaching Kafka behind the same delay as the gateway. With {@code --target}, the target
     * must run its own connector and processor; nothing is started.
     */
    public synchronized void requireCardPath() {
        if (datastores == null || cards != null) {
            return;
        }
        EmbeddedRuntime runtime = datastores.runtime();
        cards = DevCards.start(runtime.dataDirectory(), 0, adminToken, datastores.connections().kafkaBootstrap());
        owned.push(cards);
        LOG.info("card processor sandbox at {} and the card connector started for the card scenario", cards.url());
    }

    public boolean canRunBaseline() {
        return datastores != null;
    }

    /** The embedded runtime's servers as the systems under test reach them; null with {@code --target}. */
    Datastores datastores() {
        return datastores;
    }

    /** The round trip the systems under test pay to each datastore; zero when direct or with {@code --target}. */
    public Duration datastoreRoundTrip() {
        return datastores == null ? Duration.ZERO : datastores.roundTrip();
    }

    /**
     * A replay of the event log into a fresh ledger on the embedded Postgres, the replaying sink behind
     * the same datastore delay as the gateway's; empty with {@code --target}.
     */
    public Optional<SinkDrain> sinkDrain() {
        return datastores == null ? Optional.empty() : Optional.of(new SinkDrain(datastores, ledgerPool));
    }

    @Override
    public void close() {
        owned.forEach(BenchEnvironment::closeQuietly);
        clients.values().forEach(BenchEnvironment::closeQuietly);
        httpExecutor.shutdownNow();
        if (ledgerPool != null) {
            ledgerPool.close();
        }
        if (datastores != null) {
            datastores.close();
        }
    }

    /**
     * Pays from a probe merchant of its own until a payment's fraud reasons name the bench marker
     * rule: from then on the topology judges by the bench rule set.
     */
    private void awaitBenchRules() throws InterruptedException {
        Fixture probe = fixtures(false).build("rules probe", 1, 1);
        HttpApi api = api(false);
        long deadline = System.nanoTime() + RULES_IN_FORCE_TIMEOUT.toNanos();
        String body = "{\"amount\": 100, \"currency\": \"usd\", \"source\": \"" + probe.sources().get(0)
                + "\", \"destination\": \"" + probe.destinations().get(0) + "\"}";
        while (System.nanoTime() < deadline) {
            try {
                HttpApi.Answer answer = api.send(api.post("/v1/payments", probe.secretKey(),
                        "bench-rules-probe-" + UUID.randomUUID(), body, Duration.ofSeconds(10)));
                if (answer.json().path("fraud").path("reasons").toString().contains(BENCH_RULES_MARKER)
                        || answer.body().contains("bench rule set")) {
                    LOG.info("bench rule set {} in force", rules.version());
                    return;
                }
            } catch (IOException e) {
                LOG.debug("rules probe failed; retrying", e);
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the bench rule set " + rules.version() + " was not in force after "
                + RULES_IN_FORCE_TIMEOUT);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("{} did not close cleanly", closeable, e);
        }
    }
}
