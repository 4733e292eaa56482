package dev.kassa.api;

import com.zaxxer.hikari.HikariDataSource;
import dev.kassa.api.accounts.AccountFactsCache;
import dev.kassa.api.accounts.AccountOpener;
import dev.kassa.api.accounts.AccountService;
import dev.kassa.api.accounts.AccountStore;
import dev.kassa.api.auth.BearerAuthenticator;
import dev.kassa.api.auth.MerchantCache;
import dev.kassa.api.health.ComponentReadiness;
import dev.kassa.api.health.KafkaCheck;
import dev.kassa.api.health.PostgresCheck;
import dev.kassa.api.health.RedisCheck;
import dev.kassa.api.http.ApiServer;
import dev.kassa.api.http.ApiServices;
import dev.kassa.api.http.ManagementServer;
import dev.kassa.api.http.PendingOpenings;
import dev.kassa.api.idempotency.PaymentLookup;
import dev.kassa.api.idempotency.PendingAnswers;
import dev.kassa.api.idempotency.RedisIdempotencyGuard;
import dev.kassa.api.kafka.CommandPublisher;
import dev.kassa.api.kafka.OutcomeListener;
import dev.kassa.api.merchants.MerchantService;
import dev.kassa.api.merchants.MerchantStore;
import dev.kassa.api.payments.PaymentService;
import dev.kassa.api.payments.PaymentStore;
import dev.kassa.api.payments.RecentPayments;
import dev.kassa.api.refunds.RefundService;
import dev.kassa.api.refunds.RefundStore;
import dev.kassa.model.Topics;
import io.javalin.Javalin;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest API as one startable unit: {@link #start()} opens the Postgres pool, the command
 * producer, the outcome listener and the readiness clients, then starts the HTTP server;
 * {@link #close()} stops them in reverse order. It serves two listeners: the public API, and the
 * management listener for operators ({@link #management()}; docs/api.md, Management port). The app module runs it ({@code kassa api},
 * {@code kassa dev}) and its integration tests start it on an ephemeral port ({@code port(0)}).
 * Kassa's topics and the ledger schema must exist before it starts.
 */
public final class KassaApi implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KassaApi.class);
    /**
     * How long one Redis command may take before the request runs without the replay cache. Short, so
     * that a hung Redis costs a request a second rather than failing it (a refused connection fails at
     * once); not shorter, because 200 ms was exceeded by a busy but healthy Redis on a loaded 2-core
     * machine (12 of 50 concurrent claims), sending requests to the weaker degraded path for nothing.
     */
    private static final Duration IDEMPOTENCY_COMMAND_TIMEOUT = Duration.ofSeconds(1);

    private final ApiSettings settings;
    private final PrometheusMeterRegistry metrics;
    private final boolean ownsMetrics;
    private final Clock clock = Clock.systemUTC();
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private Javalin server;
    private ManagementServer management;

    /** An API with its own metrics registry, served at {@code /metrics}. */
    public KassaApi(ApiSettings settings) {
        this(settings, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), true);
    }

    /** An API recording into {@code metrics} (shared with the caller, who closes it). */
    public KassaApi(ApiSettings settings, PrometheusMeterRegistry metrics) {
        this(settings, metrics, false);
    }

    private KassaApi(ApiSettings settings, PrometheusMeterRegistry metrics, boolean ownsMetrics) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.ownsMetrics = ownsMetrics;
    }

    /**
     * Connects to Postgres and Kafka and starts serving HTTP. Fails fast, releasing whatever it had
     * opened, when Postgres or Kafka cannot be reached or an outcome topic is missing; Redis may be
     * down (requests then run without the idempotency replay cache, and {@code /ready} says degraded).
     *
     * @return this, started
     */
    public synchronized KassaApi start() {
        if (server != null) {
            throw new IllegalStateException("the API is already started");
        }
        try {
            HikariDataSource dataSource = own(new HikariDataSource(settings.hikariConfig()));
            ExecutorService work = workThreads();
            own(work::shutdown);
            CommandPublisher publisher = own(new CommandPublisher(producer(), settings.publishTimeout(), metrics));
            AccountStore accountStore = new AccountStore(dataSource);
            AccountFactsCache accountFacts = new AccountFactsCache(accountStore, settings.accountCacheSize(), metrics);
            RecentPayments recentPayments = new RecentPayments();
            OutcomeListener outcomes = own(new OutcomeListener(outcomeConsumer(), settings.outcomeWaitersMax(),
                    accountFacts::remember, recentPayments::decided, metrics));
            outcomes.start(settings.kafkaStartTimeout());
            ApiServices services = services(dataSource, accountStore, accountFacts, publisher, outcomes, recentPayments,
                    work);
            Javalin created = ApiServer.create(settings, services);
            own(created::stop);
            created.start();
            management = own(ApiServer.startManagement(settings, services));
            server = created;
            LOG.info("Kassa API listening on {}:{}, management on {}:{}, with {}", settings.host(), created.port(),
                    settings.managementHost(), management.port(), settings);
            return this;
        } catch (RuntimeException e) {
            closeResources();
            throw e;
        }
    }

    /** The port the HTTP server listens on; the actual one when the settings asked for port 0. */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("the API is not started");
        }
        return server.port();
    }

    /**
     * The management listener ({@code /admin}, {@code /health}, {@code /ready}, {@code /metrics}), bound
     * to {@link ApiSettings#managementHost()}.
     */
    public synchronized ManagementServer management() {
        if (management == null) {
            throw new IllegalStateException("the API is not started");
        }
        return management;
    }

    /** The metrics registry served at {@code /metrics} of the management listener. */
    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    /** Stops serving, then closes Kafka, Redis and Postgres clients. Safe to call more than once. */
    @Override
    public synchronized void close() {
        closeResources();
        server = null;
        management = null;
        if (ownsMetrics) {
            metrics.close();
        }
    }

    private ApiServices services(HikariDataSource dataSource, AccountStore accountStore, AccountFactsCache accountFacts,
                                 CommandPublisher publisher, OutcomeListener outcomes, RecentPayments recentPayments,
                                 ExecutorService work) {
        MerchantStore merchantStore = new MerchantStore(dataSource);
        AccountOpener opener = new AccountOpener(publisher, outcomes, settings.outcomeWait(), clock);
        PaymentService payments = new PaymentService(publisher, outcomes, accountFacts, new PaymentStore(dataSource),
                recentPayments, settings.outcomeWait(), clock, metrics, settings.cardCapabilities(), work);
        return new ApiServices(
                new BearerAuthenticator(merchantStore,
                        new MerchantCache(settings.merchantCacheSize(), settings.merchantCacheTtl(), clock),
                        settings.adminToken()),
                idempotencyGuard(payments.lookup(), new PendingOpenings(accountFacts), work),
                payments,
                new RefundService(publisher, outcomes, new PaymentStore(dataSource), recentPayments,
                        new RefundStore(dataSource), settings.outcomeWait(), clock, metrics),
                new AccountService(opener, accountStore, accountFacts),
                new MerchantService(opener, merchantStore, clock),
                readiness(dataSource),
                metrics,
                work);
    }

    private RedisIdempotencyGuard idempotencyGuard(PaymentLookup payments, PendingAnswers pending, Executor work) {
        RedisClient redis = redisClient(IDEMPOTENCY_COMMAND_TIMEOUT);
        own(redis::shutdown);
        // The claim outlives the longest execution (publish, then wait for the outcome) with a margin,
        // so a crashed instance blocks its keys for seconds, not for the whole TTL.
        Duration lease = settings.publishTimeout().plus(settings.outcomeWait()).plusSeconds(5);
        Duration inFlightWait = settings.outcomeWait().plusSeconds(1);
        // A replayed payment response whose held body has expired is rendered again from the ledger, and
        // a replayed 202 is answered with the payment's outcome (or the account's opening) once there is one.
        return own(new RedisIdempotencyGuard(redis, new RedisIdempotencyGuard.Settings(settings.idempotencyTtl(),
                lease.compareTo(settings.idempotencyTtl()) < 0 ? lease : settings.idempotencyTtl(),
                inFlightWait, IDEMPOTENCY_COMMAND_TIMEOUT, settings.idempotencyBuckets(), settings.idempotencyBodyTtl()),
                payments, pending, metrics, work));
    }

    /**
     * The threads of the work that waits without a request's thread: the grouped key lookups, writing
     * a payment's answer once its outcome is known, and the rarer paths that wait (retries of a request
     * in flight, replays read back from the ledger). Created as needed and reused; how many work at
     * once is bounded by the connections the API takes ({@link ApiSettings#httpConnectionsMax()}).
     */
    private static ExecutorService workThreads() {
        AtomicInteger created = new AtomicInteger();
        return Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "kassa-api-work-" + created.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    private ComponentReadiness readiness(HikariDataSource dataSource) {
        Admin admin = own(Admin.create(settings.adminProperties()));
        RedisClient redis = redisClient(settings.readinessTimeout());
        own(redis::shutdown);
        RedisCheck redisCheck = own(new RedisCheck(redis));
        return own(new ComponentReadiness(
                List.of(new KafkaCheck(admin), redisCheck, new PostgresCheck(dataSource)), settings.readinessTimeout()));
    }

    private KafkaProducer<String, dev.kassa.model.Command> producer() {
        return new KafkaProducer<>(settings.producerProperties(),
                Topics.PAYMENTS_COMMANDS.keySerde().serializer(), Topics.PAYMENTS_COMMANDS.valueSerde().serializer());
    }

    private KafkaConsumer<String, byte[]> outcomeConsumer() {
        return new KafkaConsumer<>(settings.outcomeConsumerProperties(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    private RedisClient redisClient(Duration timeout) {
        RedisURI uri = settings.redisClientUri(timeout);
        RedisClient client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .build());
        return client;
    }

    private <T extends AutoCloseable> T own(T resource) {
        resources.push(resource);
        return resource;
    }

    private void closeResources() {
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("cannot close {}: {}", resource, e.toString());
            }
        }
    }
}
