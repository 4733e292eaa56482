package dev.kassa.bench.baseline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The seed's naive design behind a tiny HTTP endpoint with Kassa's request shapes, so that the same
 * load generator drives both over HTTP. Per payment: Redis {@code SET key NX EX 86400}; if the key
 * was new, one Postgres transaction ({@link BaselineLedger}); then the answer is stored in Redis
 * under the key. A key already set answers the stored response, or 409 while the first request is
 * still running. Its tables live in schema {@code bench_baseline} of the same Postgres as Kassa's.
 *
 * <p>Routes: {@code POST /admin/merchants}, {@code POST /v1/accounts},
 * {@code POST /v1/accounts/{id}/deposits}, {@code POST /v1/payments}. Nothing else of the API.
 */
public final class BaselineServer implements AutoCloseable {

    /** As measured in the seed's feasibility run: 16 connections for 2,456 payments/s. */
    public static final int POOL_SIZE_DEFAULT = 16;
    private static final long KEY_TTL_SECONDS = Duration.ofHours(24).toSeconds();
    private static final String IN_FLIGHT = "in_flight";
    /** Javalin's defaults for its Jetty pool. */
    private static final int HTTP_THREADS_MAX = 250;
    private static final int HTTP_THREADS_MIN = 8;
    private static final int HTTP_THREAD_IDLE_TIMEOUT_MS = 60_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HikariDataSource pool;
    private final RedisClient redisClient;
    private final StatefulRedisConnection<String, String> redisConnection;
    private final RedisCommands<String, String> redis;
    private final BaselineLedger ledger;
    private final Map<String, String[]> merchantsBySecretKey = new ConcurrentHashMap<>();
    private final Javalin http;

    private BaselineServer(HikariDataSource pool, RedisClient redisClient) {
        this.pool = pool;
        this.redisClient = redisClient;
        this.redisConnection = redisClient.connect();
        this.redis = redisConnection.sync();
        this.ledger = new BaselineLedger(pool);
        this.http = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = "127.0.0.1";
            config.jetty.port = 0;
            // Javalin's default pool, named so that the bench can tell its threads' CPU from the API's.
            QueuedThreadPool threads = new QueuedThreadPool(HTTP_THREADS_MAX, HTTP_THREADS_MIN,
                    HTTP_THREAD_IDLE_TIMEOUT_MS);
            threads.setName("bench-baseline-http");
            config.jetty.threadPool = threads;
            config.routes.post("/admin/merchants", this::createMerchant);
            config.routes.post("/v1/accounts", this::createAccount);
            config.routes.post("/v1/accounts/{id}/deposits", this::deposit);
            config.routes.post("/v1/payments", this::pay);
        });
    }

    /** Creates the baseline's schema if missing and starts serving on an ephemeral loopback port. */
    public static BaselineServer start(String jdbcUrl, String user, String password, String redisUri, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("bench-baseline");
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setAutoCommit(false);
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        config.setConnectionTimeout(Duration.ofSeconds(30).toMillis());
        HikariDataSource pool = new HikariDataSource(config);
        RedisClient redisClient = null;
        try {
            createSchema(pool);
            redisClient = RedisClient.create(redisUri);
            BaselineServer server = new BaselineServer(pool, redisClient);
            server.http.start();
            return server;
        } catch (RuntimeException e) {
            if (redisClient != null) {
                redisClient.shutdown();
            }
            pool.close();
            throw e;
        }
    }

    public String url() {
        return "http://127.0.0.1:" + http.port();
    }

    @Override
    public void close() {
        try {
            http.stop();
        } finally {
            redisConnection.close();
            redisClient.shutdown();
            pool.close();
        }
    }

    private void createMerchant(Context ctx) throws SQLException {
        String merchantId = "mer_" + uuid();
        String secretKey = "sk_" + uuid();
        String account = "acct_" + uuid();
        execute("INSERT INTO bench_baseline.merchants (id, secret_key, account_id) VALUES (?, ?, ?)",
                merchantId, secretKey, account);
        execute("INSERT INTO bench_baseline.accounts (id, merchant_id, currency) VALUES (?, ?, 'usd')", account, merchantId);
        merchantsBySecretKey.put(secretKey, new String[] {merchantId, account});
        ObjectNode body = JSON.createObjectNode().put("id", merchantId).put("secret_key", secretKey).put("account", account);
        answer(ctx, 201, body.toString());
    }

    private void createAccount(Context ctx) throws SQLException {
        String[] merchant = authenticate(ctx);
        if (merchant == null) {
            return;
        }
        String account = "acct_" + uuid();
        execute("INSERT INTO bench_baseline.accounts (id, merchant_id, currency) VALUES (?, ?, 'usd')", account, merchant[0]);
        answer(ctx, 201, JSON.createObjectNode().put("id", account).put("currency", "usd").put("balance", 0).toString());
    }

    private void deposit(Context ctx) throws SQLException, IOException {
        String[] merchant = authenticate(ctx);
        JsonNode request = merchant == null ? null : parse(ctx);
        if (request != null) {
            transferIdempotently(ctx, merchant[0], "deposit", "acct_external", ctx.pathParam("id"),
                    request.path("amount").asLong());
        }
    }

    private void pay(Context ctx) throws SQLException, IOException {
        String[] merchant = authenticate(ctx);
        JsonNode request = merchant == null ? null : parse(ctx);
        if (request != null) {
            String destination = request.path("destination").asText(merchant[1]);
            transferIdempotently(ctx, merchant[0], "payment", request.path("source").asText(), destination,
                    request.path("amount").asLong());
        }
    }

    /** SET NX, transfer, store the answer: the whole of the naive design's idempotency. */
    private void transferIdempotently(Context ctx, String merchantId, String kind, String source, String destination,
                                      long amount) throws SQLException {
        String key = ctx.header("Idempotency-Key");
        if (key == null || key.isEmpty() || amount < 1) {
            answer(ctx, 400, error("invalid_request_error", "invalid_request", "Idempotency-Key and a positive amount are required"));
            return;
        }
        String redisKey = "baseline:" + merchantId + ":" + key;
        if (!"OK".equals(redis.set(redisKey, IN_FLIGHT, SetArgs.Builder.nx().ex(KEY_TTL_SECONDS)))) {
            replay(ctx, redisKey);
            return;
        }
        try {
            BaselineLedger.Outcome outcome = ledger.transfer(merchantId, key, kind, source, destination, amount);
            int status = outcome.completed() ? 201 : 402;
            String body = outcome.completed()
                    ? paymentJson(outcome.paymentId(), kind, amount, source, destination)
                    : error("payment_error", outcome.declineCode(), "declined: " + outcome.declineCode());
            redis.set(redisKey, status + "\n" + body, SetArgs.Builder.ex(KEY_TTL_SECONDS));
            answer(ctx, status, body);
        } catch (SQLException | RuntimeException e) {
            redis.del(redisKey);
            throw e;
        }
    }

    private void replay(Context ctx, String redisKey) {
        String stored = redis.get(redisKey);
        if (stored == null || IN_FLIGHT.equals(stored)) {
            answer(ctx, 409, error("idempotency_error", "idempotency_key_in_use", "a request with this key is in flight"));
            return;
        }
        int newline = stored.indexOf('\n');
        ctx.header("Idempotent-Replayed", "true");
        answer(ctx, Integer.parseInt(stored.substring(0, newline)), stored.substring(newline + 1));
    }

    private String[] authenticate(Context ctx) {
        String authorization = ctx.header("Authorization");
        String[] merchant = authorization == null || !authorization.startsWith("Bearer ") ? null
                : merchantsBySecretKey.get(authorization.substring("Bearer ".length()));
        if (merchant == null) {
            answer(ctx, 401, error("authentication_error", "unauthenticated", "unknown secret key"));
        }
        return merchant;
    }

    private static JsonNode parse(Context ctx) throws IOException {
        return JSON.readTree(ctx.body());
    }

    private static String paymentJson(String id, String kind, long amount, String source, String destination) {
        return JSON.createObjectNode().put("id", id).put("object", kind).put("status", "completed")
                .put("amount", amount).put("currency", "usd").put("source", source).put("destination", destination)
                .toString();
    }

    private static String error(String type, String code, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("type", type).put("code", code).put("message", message);
        return body.toString();
    }

    private static void answer(Context ctx, int status, String body) {
        ctx.status(status);
        ctx.contentType("application/json");
        ctx.result(body);
    }

    private void execute(String sql, String... parameters) throws SQLException {
        try (Connection connection = pool.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            statement.executeUpdate();
            connection.commit();
        }
    }

    private static void createSchema(HikariDataSource pool) {
        try (InputStream in = BaselineServer.class.getResourceAsStream("/dev/kassa/bench/baseline-schema.sql");
             Connection connection = pool.getConnection();
             Statement statement = connection.createStatement()) {
            String sql = new String(Objects.requireNonNull(in, "baseline-schema.sql").readAllBytes(), StandardCharsets.UTF_8);
            statement.execute(sql);
            connection.commit();
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("cannot create the baseline's schema bench_baseline", e);
        }
    }

    private static String uuid() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
