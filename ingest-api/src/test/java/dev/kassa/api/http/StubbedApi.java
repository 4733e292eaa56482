package dev.kassa.api.http;

import dev.kassa.api.ApiSettings;
import dev.kassa.api.accounts.Accounts;
import dev.kassa.api.auth.BearerAuthenticator;
import dev.kassa.api.auth.Merchant;
import dev.kassa.api.auth.MerchantCache;
import dev.kassa.api.auth.SecretKeys;
import dev.kassa.api.health.Readiness;
import dev.kassa.api.idempotency.PassThroughIdempotencyGuard;
import dev.kassa.api.merchants.Merchants;
import dev.kassa.api.payments.Payments;
import dev.kassa.api.refunds.Refunds;
import io.javalin.Javalin;
import io.javalin.router.ParsedEndpoint;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The real HTTP server of the API on an ephemeral port, with one merchant and services that must
 * never be reached: for tests of what the server refuses before any service runs. Every service
 * call is recorded ({@link #serviceCalls()}) and fails; {@code /ready} answers what {@link #readiness()}
 * holds.
 */
final class StubbedApi implements AutoCloseable {

    static final String ADMIN_TOKEN = "admin-token-for-tests-0123456789";
    static final Merchant MERCHANT = new Merchant("mer_test", "Acme", "acct_0192f2c4a1b07a3c8e5d6f7a8b9c0d1e",
            Instant.parse("2026-11-25T08:00:00Z"));

    private final String secretKey = SecretKeys.generate();
    private final List<String> serviceCalls = Collections.synchronizedList(new ArrayList<>());
    private final AtomicReference<Readiness> readiness = new AtomicReference<>();
    private final AtomicInteger directoryLookups = new AtomicInteger();
    private final Javalin server;
    private final ManagementServer management;

    /** Starts the server with the tests' settings, changed by {@code settings}. */
    StubbedApi(UnaryOperator<ApiSettings.Builder> settings) {
        this(settings, null, Runnable::run);
    }

    /**
     * As {@link #StubbedApi(UnaryOperator)}, with {@code payments} answering payment requests (in
     * place of a service that must not be reached) and {@code work} writing their answers.
     */
    StubbedApi(UnaryOperator<ApiSettings.Builder> settings, Payments payments, Executor work) {
        ApiSettings built = settings.apply(ApiSettings.builder()
                .host("127.0.0.1").port(0).managementPort(0)
                .adminToken(ADMIN_TOKEN)
                .kafkaBootstrap("127.0.0.1:1").jdbc("jdbc:postgresql://127.0.0.1:1/none", "none", "")
                .redisUri("redis://127.0.0.1:1")).build();
        Map<String, Merchant> merchantsByHash = Map.of(SecretKeys.hash(secretKey), MERCHANT);
        BearerAuthenticator authenticator = new BearerAuthenticator(hash -> {
                    directoryLookups.incrementAndGet();
                    return Optional.ofNullable(merchantsByHash.get(hash));
                },
                new MerchantCache(10, Duration.ofMinutes(1), Clock.systemUTC()), ADMIN_TOKEN);
        ApiServices services = new ApiServices(authenticator, new PassThroughIdempotencyGuard(),
                payments != null ? payments : unreachable(Payments.class), unreachable(Refunds.class),
                unreachable(Accounts.class), unreachable(Merchants.class), () -> readiness.get().check(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), work);
        server = ApiServer.create(built, services).start();
        management = ApiServer.startManagement(built, services);
    }

    /** The public listener. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** The management listener ({@code /admin}, {@code /health}, {@code /ready}, {@code /metrics}). */
    String managementUrl() {
        return "http://127.0.0.1:" + management.port();
    }

    ManagementServer management() {
        return management;
    }

    int port() {
        return server.port();
    }

    /** Every route the public listener registers, as {@code METHOD path}, e.g. {@code GET /v1/payments/{id}}. */
    Set<String> routes() {
        return routes(server);
    }

    /** Every route the management listener registers, e.g. {@code POST /admin/merchants}. */
    Set<String> managementRoutes() {
        return routes(management.javalin());
    }

    private static Set<String> routes(Javalin server) {
        Set<String> routes = new TreeSet<>();
        for (ParsedEndpoint route : server.unsafe.internalRouter.allHttpHandlers()) {
            if (route.endpoint.method.isHttpMethod()) {
                routes.add(route.endpoint.method.name() + " " + route.endpoint.path);
            }
        }
        return routes;
    }

    /** The merchant's secret key, for {@code Authorization: Bearer}. */
    String secretKey() {
        return secretKey;
    }

    /** The service calls so far: none, unless a request got past the server's checks. */
    List<String> serviceCalls() {
        return serviceCalls;
    }

    /** How many times a secret key's hash was looked up in the merchant directory (the database in production). */
    int directoryLookups() {
        return directoryLookups.get();
    }

    /** What {@code /ready} reports; set it before asking. */
    AtomicReference<Readiness> readiness() {
        return readiness;
    }

    @Override
    public void close() {
        try {
            management.close();
        } finally {
            server.stop();
        }
    }

    /** A service whose every method records the call and fails: bad input must never get there. */
    private <T> T unreachable(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.getName().equals("toString") ? "unreachable " + type.getSimpleName() : null;
            }
            serviceCalls.add(type.getSimpleName() + "." + method.getName());
            throw new IllegalStateException("a service was reached: " + method);
        }));
    }
}
