package dev.kassa.api;

import com.zaxxer.hikari.HikariConfig;
import dev.kassa.api.auth.AdminTokens;
import dev.kassa.api.payments.CardCapabilities;
import dev.kassa.model.Bounds;
import dev.kassa.model.KafkaClientProperties;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Every setting of the ingest API in one place: each with its type, default and bounds, checked at
 * construction. The safety-critical Kafka settings ({@code acks}, idempotence, in-flight requests,
 * {@code isolation.level}) are written out here rather than left to client defaults. Build one with
 * {@link #builder()} (the kassa command reads flags and the environment into it); {@link #toString()}
 * hides the secrets.
 *
 * @param host                   interface the HTTP server binds to; default {@code 0.0.0.0}
 * @param port                   HTTP port, 0 for an ephemeral one; default 8080
 * @param managementHost         interface the management listener ({@code /admin}, {@code /health}, {@code /ready},
 *                               {@code /metrics}) binds to; default {@code 127.0.0.1}, so only this machine reaches it
 * @param managementPort         management port, 0 for an ephemeral one; default 9090; not the HTTP port
 * @param outcomeWait            how long a POST waits for the topology's outcome before answering 202; 0–30 s, default 2 s
 * @param publishTimeout         how long publishing a command may take before the API answers 503; 1–120 s, default 10 s
 * @param maxBodyBytes           largest accepted request body; 1 KiB–1 MiB, default 64 KiB
 * @param adminToken             bearer token of {@code /admin}; at least {@link AdminTokens#LENGTH_MIN} characters
 *                               and no placeholder ({@link AdminTokens}), required
 * @param kafkaBootstrap         Kafka {@code bootstrap.servers}; required
 * @param jdbcUrl                Postgres JDBC URL of the ledger database; required
 * @param jdbcUser               Postgres user; required
 * @param jdbcPassword           Postgres password; may be empty, not null
 * @param redisUri               Redis URI, e.g. {@code redis://127.0.0.1:6379}; required
 * @param databasePoolSize       HikariCP maximum pool size; 1–100, default 20
 * @param databaseConnectTimeout longest wait for a pooled connection; 250 ms–30 s, default 2 s
 * @param readinessTimeout       longest wait of each {@code /ready} component check; 100 ms–10 s, default 2 s
 * @param kafkaStartTimeout      longest wait for topic metadata when the API starts; 1 s–5 min, default 30 s
 * @param outcomeWaitersMax      most requests waiting for an outcome at once (more answer 202 at once); 1–1,000,000, default 10,000
 * @param httpThreadsMax         Jetty worker threads; 8–10,000, default {@value #HTTP_THREADS_MAX_DEFAULT}. A payment's
 *                               request gives its thread back while it waits for the outcome, so the threads bound
 *                               the requests being parsed, validated and answered at once, not the payments in
 *                               flight (docs/architecture.md, The API's per-request work)
 * @param httpConnectionsMax     open client connections at once (more wait to be accepted); 1–100,000, default 2,000
 * @param httpIdleTimeout        a connection that sends and receives nothing for this long is closed; 1 s–10 min,
 *                               default 30 s
 * @param httpHeaderTimeout      a request whose line and headers are not all in this long after it began is
 *                               refused and its connection closed, however slowly it trickles in; 1 s–5 min, default 10 s
 * @param httpMinRequestRate     a request body arriving slower than this many bytes a second is refused and its
 *                               connection closed; 1–100,000,000, default 1,024
 * @param rateLimits             how much one merchant key and one client address may ask ({@link RateLimits});
 *                               default {@link RateLimits#DEFAULTS}
 * @param merchantCacheSize      authenticated merchants kept in memory; 0–1,000,000, default 10,000
 * @param merchantCacheTtl       how long an authenticated merchant is trusted without a database lookup; 0–1 h, default 60 s
 * @param accountCacheSize       accounts whose facts (owner, currency) are kept in memory, so paying from one needs no
 *                               database lookup; they never expire, as the facts never change; about 220 B an account
 *                               (measured), so 220 MB when full at the default; 0–10,000,000, default 1,000,000
 * @param idempotencyTtl         how long Redis keeps an idempotent response for replay; 1 s–7 d, default 24 h
 * @param idempotencyBuckets     how many Redis hashes the idempotency keys spread over; 1–16,777,216, default 65,536.
 *                               Size it so live keys / buckets stays under Redis's {@code hash-max-ziplist-entries}
 *                               (512 by default in Redis 6.2; we recommend keeping it at 512 and sizing for about
 *                               128 keys a bucket, as a ziplist is searched linearly), so every bucket keeps the
 *                               compact encoding (about 58 B a key at steady state, measured: docs/architecture.md)
 * @param idempotencyBodyTtl     how long a replayable payment response's body is held in Redis beside its payment
 *                               id (after that a replay renders it from the ledger); 1 s–24 h, default 10 min,
 *                               never longer than {@code idempotencyTtl}
 * @param instanceName           this instance's name in Kafka client ids and logs; 1–64 of {@code [A-Za-z0-9._-]},
 *                               default {@code kassa-api-} and 8 random hex digits (unique per process)
 * @param kafkaClient            settings added to each of the API's Kafka clients, e.g. TLS and SASL
 *                               ({@link KafkaClientProperties}); default none
 * @param cardCapabilities       the card tokens, currencies and amounts the card processor takes, checked before a
 *                               card payment is published ({@link CardCapabilities}); default the sandbox's
 */
public record ApiSettings(
        String host,
        int port,
        String managementHost,
        int managementPort,
        Duration outcomeWait,
        Duration publishTimeout,
        int maxBodyBytes,
        String adminToken,
        String kafkaBootstrap,
        String jdbcUrl,
        String jdbcUser,
        String jdbcPassword,
        String redisUri,
        int databasePoolSize,
        Duration databaseConnectTimeout,
        Duration readinessTimeout,
        Duration kafkaStartTimeout,
        int outcomeWaitersMax,
        int httpThreadsMax,
        int httpConnectionsMax,
        Duration httpIdleTimeout,
        Duration httpHeaderTimeout,
        long httpMinRequestRate,
        RateLimits rateLimits,
        int merchantCacheSize,
        Duration merchantCacheTtl,
        int accountCacheSize,
        Duration idempotencyTtl,
        int idempotencyBuckets,
        Duration idempotencyBodyTtl,
        String instanceName,
        KafkaClientProperties kafkaClient,
        CardCapabilities cardCapabilities) {

    public static final String HOST_DEFAULT = "0.0.0.0";
    public static final int PORT_DEFAULT = 8080;
    public static final String MANAGEMENT_HOST_DEFAULT = "127.0.0.1";
    public static final int MANAGEMENT_PORT_DEFAULT = 9090;
    public static final Duration OUTCOME_WAIT_DEFAULT = Duration.ofSeconds(2);
    public static final Duration OUTCOME_WAIT_MAX = Duration.ofSeconds(30);
    public static final Duration PUBLISH_TIMEOUT_DEFAULT = Duration.ofSeconds(10);
    /**
     * How long the command producer holds a partition's batch open for more commands ({@code linger.ms}):
     * Kafka 4's default. Under load a produce request then carries a few milliseconds of commands
     * instead of one or two, which costs the broker a fifth of the requests (docs/architecture.md,
     * "The API's per-request work"); a lone command waits this long more.
     */
    public static final Duration PUBLISH_LINGER = Duration.ofMillis(5);
    public static final int BODY_BYTES_MAX_DEFAULT = 64 * 1024;
    /**
     * Jetty's threads of the API, Jetty's own default: a payment waits for its commit without one
     * (docs/architecture.md, The API's per-request work), and the other requests wait for nothing longer
     * than a Postgres query.
     */
    public static final int HTTP_THREADS_MAX_DEFAULT = 200;
    public static final int HTTP_THREADS_MAX_MAX = 10_000;
    public static final int ACCOUNT_CACHE_SIZE_DEFAULT = 1_000_000;
    public static final Duration IDEMPOTENCY_TTL_DEFAULT = Duration.ofHours(24);
    public static final int IDEMPOTENCY_BUCKETS_DEFAULT = 65_536;
    public static final int IDEMPOTENCY_BUCKETS_MAX = 1 << 24;
    public static final Duration IDEMPOTENCY_BODY_TTL_DEFAULT = Duration.ofMinutes(10);

    public ApiSettings {
        Objects.requireNonNull(cardCapabilities, "cardCapabilities");
        Bounds.requireText("host", host);
        Bounds.requireWithin("port", port, 0, 65_535);
        Bounds.requireText("managementHost", managementHost);
        Bounds.requireWithin("managementPort", managementPort, 0, 65_535);
        if (port != 0 && managementPort == port) {
            throw new IllegalArgumentException("managementPort must differ from port: both are " + port);
        }
        Bounds.requireWithin("outcomeWait", outcomeWait, Duration.ZERO, OUTCOME_WAIT_MAX);
        Bounds.requireWithin("publishTimeout", publishTimeout, Duration.ofSeconds(1), Duration.ofSeconds(120));
        Bounds.requireWithin("maxBodyBytes", maxBodyBytes, 1024, 1024 * 1024);
        AdminTokens.requireStrong("adminToken", adminToken);
        Bounds.requireText("kafkaBootstrap", kafkaBootstrap);
        Bounds.requireText("jdbcUrl", jdbcUrl);
        Bounds.requireText("jdbcUser", jdbcUser);
        Objects.requireNonNull(jdbcPassword, "jdbcPassword");
        Bounds.requireText("redisUri", redisUri);
        Bounds.requireWithin("databasePoolSize", databasePoolSize, 1, 100);
        Bounds.requireWithin("databaseConnectTimeout", databaseConnectTimeout, Duration.ofMillis(250), Duration.ofSeconds(30));
        Bounds.requireWithin("readinessTimeout", readinessTimeout, Duration.ofMillis(100), Duration.ofSeconds(10));
        Bounds.requireWithin("kafkaStartTimeout", kafkaStartTimeout, Duration.ofSeconds(1), Duration.ofMinutes(5));
        Bounds.requireWithin("outcomeWaitersMax", outcomeWaitersMax, 1, 1_000_000);
        Bounds.requireWithin("httpThreadsMax", httpThreadsMax, 8, HTTP_THREADS_MAX_MAX);
        Bounds.requireWithin("httpConnectionsMax", httpConnectionsMax, 1, 100_000);
        Bounds.requireWithin("httpIdleTimeout", httpIdleTimeout, Duration.ofSeconds(1), Duration.ofMinutes(10));
        Bounds.requireWithin("httpHeaderTimeout", httpHeaderTimeout, Duration.ofSeconds(1), Duration.ofMinutes(5));
        Bounds.requireWithin("httpMinRequestRate", httpMinRequestRate, 1, 100_000_000);
        Objects.requireNonNull(rateLimits, "rateLimits");
        Bounds.requireWithin("merchantCacheSize", merchantCacheSize, 0, 1_000_000);
        Bounds.requireWithin("merchantCacheTtl", merchantCacheTtl, Duration.ZERO, Duration.ofHours(1));
        Bounds.requireWithin("accountCacheSize", accountCacheSize, 0, 10_000_000);
        Bounds.requireWithin("idempotencyTtl", idempotencyTtl, Duration.ofSeconds(1), Duration.ofDays(7));
        Bounds.requireWithin("idempotencyBuckets", idempotencyBuckets, 1, IDEMPOTENCY_BUCKETS_MAX);
        Bounds.requireWithin("idempotencyBodyTtl", idempotencyBodyTtl, Duration.ofSeconds(1), Duration.ofHours(24));
        if (instanceName == null || !instanceName.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("instanceName must be 1-64 of [A-Za-z0-9._-]: " + instanceName);
        }
        Objects.requireNonNull(kafkaClient, "kafkaClient");
    }

    /** A builder with every default filled in; the connection settings and the admin token are required. */
    public static Builder builder() {
        return new Builder();
    }


    /**
     * The command producer's configuration. Commands are the one thing the API writes: {@code acks=all}
     * and idempotence make an acknowledged command durable and never duplicated by the producer's own
     * retries; up to 5 requests in flight keep ordering under idempotence. Every timeout is bounded by
     * {@link #publishTimeout()}, so a broker outage becomes a prompt 503 instead of a hung request.
     */
    public Properties producerProperties() {
        long publishMs = publishTimeout.toMillis();
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, instanceName + "-commands");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        properties.put(ProducerConfig.RETRIES_CONFIG, Integer.toString(Integer.MAX_VALUE)); // bounded by delivery.timeout.ms
        properties.put(ProducerConfig.LINGER_MS_CONFIG, Long.toString(PUBLISH_LINGER.toMillis()));
        // A batch holds a few commands: compressing it costs more than it saves (docs/architecture.md).
        properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.max(500, publishMs / 2)));
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(publishMs));
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(publishMs));
        return kafkaClient.addTo(properties, "the API's command producer");
    }

    /**
     * The outcome consumer's configuration: no group (every API instance reads every partition from
     * the end), {@code read_committed} so that it never answers with an event of an aborted topology
     * transaction, and no offset commits.
     */
    public Properties outcomeConsumerProperties() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, instanceName + "-outcomes");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        properties.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(kafkaStartTimeout.toMillis()));
        return kafkaClient.addTo(properties, "the API's outcome listener");
    }

    /** The admin client's configuration, used only by the {@code /ready} check. */
    public Properties adminProperties() {
        int timeoutMs = (int) readinessTimeout.toMillis();
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        properties.put(AdminClientConfig.CLIENT_ID_CONFIG, instanceName + "-readiness");
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(timeoutMs));
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(timeoutMs));
        return kafkaClient.addTo(properties, "the API's readiness check");
    }

    /**
     * The Redis URI as Lettuce reads it, with {@code timeout} on every command: {@code rediss://} turns
     * TLS on with the server's certificate verified (Lettuce's default, kept), and a password in the URI
     * ({@code rediss://:password@host:6380/0}) authenticates the connection.
     */
    public RedisURI redisClientUri(Duration timeout) {
        RedisURI uri = RedisURI.create(redisUri);
        uri.setTimeout(timeout);
        return uri;
    }

    /** The HikariCP pool configuration. Starting fails fast when Postgres cannot be reached. */
    public HikariConfig hikariConfig() {
        HikariConfig config = new HikariConfig();
        config.setPoolName(instanceName);
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(jdbcUser);
        config.setPassword(jdbcPassword);
        config.setMaximumPoolSize(databasePoolSize);
        config.setMinimumIdle(Math.min(2, databasePoolSize));
        config.setConnectionTimeout(databaseConnectTimeout.toMillis());
        config.setValidationTimeout(Math.max(250, databaseConnectTimeout.toMillis() / 2));
        config.setInitializationFailTimeout(databaseConnectTimeout.toMillis());
        config.setAutoCommit(true);
        return config;
    }

    @Override
    public String toString() {
        return "ApiSettings[host=" + host + ", port=" + port + ", managementHost=" + managementHost
                + ", managementPort=" + managementPort + ", outcomeWait=" + outcomeWait
                + ", publishTimeout=" + publishTimeout + ", maxBodyBytes=" + maxBodyBytes
                + ", adminToken=<redacted>, kafkaBootstrap=" + kafkaBootstrap + ", jdbcUrl=" + withoutQuery(jdbcUrl)
                + ", jdbcUser=" + jdbcUser + ", jdbcPassword=<redacted>, redisUri=<redacted>"
                + ", databasePoolSize=" + databasePoolSize + ", databaseConnectTimeout=" + databaseConnectTimeout
                + ", readinessTimeout=" + readinessTimeout + ", kafkaStartTimeout=" + kafkaStartTimeout
                + ", outcomeWaitersMax=" + outcomeWaitersMax + ", httpThreadsMax=" + httpThreadsMax
                + ", httpConnectionsMax=" + httpConnectionsMax + ", httpIdleTimeout=" + httpIdleTimeout
                + ", httpHeaderTimeout=" + httpHeaderTimeout + ", httpMinRequestRate=" + httpMinRequestRate
                + ", rateLimits=" + rateLimits
                + ", merchantCacheSize=" + merchantCacheSize
                + ", merchantCacheTtl=" + merchantCacheTtl + ", accountCacheSize=" + accountCacheSize
                + ", idempotencyTtl=" + idempotencyTtl + ", idempotencyBuckets=" + idempotencyBuckets
                + ", idempotencyBodyTtl=" + idempotencyBodyTtl + ", instanceName=" + instanceName
                + ", kafkaClient=" + kafkaClient + ", cardCapabilities=" + cardCapabilities + "]";
    }

    /** A JDBC URL without its query, which may carry a password. */
    private static String withoutQuery(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query) + "?<redacted>";
    }

    /** Builds {@link ApiSettings}; every field starts at its documented default. */
    public static final class Builder {
        private String host = HOST_DEFAULT;
        private int port = PORT_DEFAULT;
        private String managementHost = MANAGEMENT_HOST_DEFAULT;
        private int managementPort = MANAGEMENT_PORT_DEFAULT;
        private Duration outcomeWait = OUTCOME_WAIT_DEFAULT;
        private Duration publishTimeout = PUBLISH_TIMEOUT_DEFAULT;
        private int maxBodyBytes = BODY_BYTES_MAX_DEFAULT;
        private String adminToken;
        private String kafkaBootstrap;
        private String jdbcUrl;
        private String jdbcUser;
        private String jdbcPassword = "";
        private String redisUri;
        // 10 left requests waiting for a connection (28 ms on average, one in eight) at 900 payments/s
        // on 2 cores, where each idempotency-key lookup holds one while its backend waits for a CPU.
        private int databasePoolSize = 20;
        private Duration databaseConnectTimeout = Duration.ofSeconds(2);
        private Duration readinessTimeout = Duration.ofSeconds(2);
        private Duration kafkaStartTimeout = Duration.ofSeconds(30);
        private int outcomeWaitersMax = 10_000;
        private int httpThreadsMax = HTTP_THREADS_MAX_DEFAULT;
        private int httpConnectionsMax = 2_000;
        private Duration httpIdleTimeout = Duration.ofSeconds(30);
        private Duration httpHeaderTimeout = Duration.ofSeconds(10);
        private long httpMinRequestRate = 1_024;
        private RateLimits rateLimits = RateLimits.DEFAULTS;
        private int merchantCacheSize = 10_000;
        private Duration merchantCacheTtl = Duration.ofSeconds(60);
        private int accountCacheSize = ACCOUNT_CACHE_SIZE_DEFAULT;
        private Duration idempotencyTtl = IDEMPOTENCY_TTL_DEFAULT;
        private int idempotencyBuckets = IDEMPOTENCY_BUCKETS_DEFAULT;
        private Duration idempotencyBodyTtl = IDEMPOTENCY_BODY_TTL_DEFAULT;
        private KafkaClientProperties kafkaClient = KafkaClientProperties.NONE;
        private CardCapabilities cardCapabilities = CardCapabilities.SANDBOX;
        private String instanceName = "kassa-api-" + java.util.HexFormat.of().toHexDigits(new java.security.SecureRandom().nextInt());

        private Builder() {
        }

        public Builder host(String host) { this.host = host; return this; }
        public Builder port(int port) { this.port = port; return this; }
        public Builder managementHost(String managementHost) { this.managementHost = managementHost; return this; }
        public Builder managementPort(int managementPort) { this.managementPort = managementPort; return this; }
        public Builder outcomeWait(Duration outcomeWait) { this.outcomeWait = outcomeWait; return this; }
        public Builder publishTimeout(Duration publishTimeout) { this.publishTimeout = publishTimeout; return this; }
        public Builder maxBodyBytes(int maxBodyBytes) { this.maxBodyBytes = maxBodyBytes; return this; }
        public Builder adminToken(String adminToken) { this.adminToken = adminToken; return this; }
        public Builder kafkaBootstrap(String kafkaBootstrap) { this.kafkaBootstrap = kafkaBootstrap; return this; }
        public Builder jdbcUrl(String jdbcUrl) { this.jdbcUrl = jdbcUrl; return this; }
        public Builder jdbcUser(String jdbcUser) { this.jdbcUser = jdbcUser; return this; }
        public Builder jdbcPassword(String jdbcPassword) { this.jdbcPassword = jdbcPassword; return this; }

        /** Sets the JDBC URL, user and password together. */
        public Builder jdbc(String url, String user, String password) {
            return jdbcUrl(url).jdbcUser(user).jdbcPassword(password);
        }

        public Builder redisUri(String redisUri) { this.redisUri = redisUri; return this; }
        public Builder databasePoolSize(int databasePoolSize) { this.databasePoolSize = databasePoolSize; return this; }
        public Builder databaseConnectTimeout(Duration timeout) { this.databaseConnectTimeout = timeout; return this; }
        public Builder readinessTimeout(Duration readinessTimeout) { this.readinessTimeout = readinessTimeout; return this; }
        public Builder kafkaStartTimeout(Duration kafkaStartTimeout) { this.kafkaStartTimeout = kafkaStartTimeout; return this; }
        public Builder outcomeWaitersMax(int outcomeWaitersMax) { this.outcomeWaitersMax = outcomeWaitersMax; return this; }
        public Builder httpThreadsMax(int httpThreadsMax) { this.httpThreadsMax = httpThreadsMax; return this; }
        public Builder httpConnectionsMax(int httpConnectionsMax) { this.httpConnectionsMax = httpConnectionsMax; return this; }
        public Builder httpIdleTimeout(Duration httpIdleTimeout) { this.httpIdleTimeout = httpIdleTimeout; return this; }
        public Builder httpHeaderTimeout(Duration httpHeaderTimeout) { this.httpHeaderTimeout = httpHeaderTimeout; return this; }
        public Builder httpMinRequestRate(long httpMinRequestRate) { this.httpMinRequestRate = httpMinRequestRate; return this; }
        public Builder rateLimits(RateLimits rateLimits) { this.rateLimits = rateLimits; return this; }
        public Builder merchantCacheSize(int merchantCacheSize) { this.merchantCacheSize = merchantCacheSize; return this; }
        public Builder merchantCacheTtl(Duration merchantCacheTtl) { this.merchantCacheTtl = merchantCacheTtl; return this; }
        public Builder accountCacheSize(int accountCacheSize) { this.accountCacheSize = accountCacheSize; return this; }
        public Builder idempotencyTtl(Duration idempotencyTtl) { this.idempotencyTtl = idempotencyTtl; return this; }
        public Builder idempotencyBuckets(int idempotencyBuckets) { this.idempotencyBuckets = idempotencyBuckets; return this; }
        public Builder idempotencyBodyTtl(Duration idempotencyBodyTtl) { this.idempotencyBodyTtl = idempotencyBodyTtl; return this; }
        public Builder instanceName(String instanceName) { this.instanceName = instanceName; return this; }
        public Builder kafkaClient(KafkaClientProperties kafkaClient) { this.kafkaClient = kafkaClient; return this; }
        public Builder cardCapabilities(CardCapabilities cardCapabilities) { this.cardCapabilities = cardCapabilities; return this; }

        /** Checks every bound and builds the settings; throws {@link IllegalArgumentException} naming the bad one. */
        public ApiSettings build() {
            ApiSettings settings = new ApiSettings(host, port, managementHost, managementPort, outcomeWait, publishTimeout, maxBodyBytes, adminToken, kafkaBootstrap,
                    jdbcUrl, jdbcUser, jdbcPassword, redisUri, databasePoolSize, databaseConnectTimeout,
                    readinessTimeout, kafkaStartTimeout, outcomeWaitersMax, httpThreadsMax, httpConnectionsMax,
                    httpIdleTimeout, httpHeaderTimeout, httpMinRequestRate, rateLimits, merchantCacheSize, merchantCacheTtl, accountCacheSize, idempotencyTtl, idempotencyBuckets, idempotencyBodyTtl, instanceName,
                    kafkaClient, cardCapabilities);
            // A client setting the Kafka client properties file may not change is refused now, not when
            // that client is created.
            settings.producerProperties();
            settings.outcomeConsumerProperties();
            settings.adminProperties();
            return settings;
        }
    }
}
