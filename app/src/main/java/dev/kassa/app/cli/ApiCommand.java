package dev.kassa.app.cli;

import dev.kassa.api.ApiSettings;
import dev.kassa.api.KassaApi;
import dev.kassa.api.payments.CardCapabilities;
import dev.kassa.app.ApiServiceSettings;
import dev.kassa.app.Services;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kassa api}: the HTTP API alone, against running Kafka, Postgres and Redis. It takes only the
 * flags the API uses.
 */
@Command(name = "api", mixinStandardHelpOptions = true, description = "Run the HTTP ingest API.",
        defaultValueProvider = SettingsDefaults.class)
public final class ApiCommand implements Callable<Integer> {

    @Mixin
    ServiceOptions service;

    @Mixin
    PostgresOptions postgres;

    @Option(names = "--redis-uri", defaultValue = "${env:KASSA_REDIS_URI:-redis://localhost:6379}",
            description = "Redis URI; rediss://:PASSWORD@HOST:6380/0 for TLS with the server verified "
                    + "(env KASSA_REDIS_URI, default ${DEFAULT-VALUE}).")
    String redisUri;

    @Option(names = "--host", defaultValue = "${env:KASSA_API_HOST:-" + ApiSettings.HOST_DEFAULT + "}",
            description = "Address the API listens on (env KASSA_API_HOST, default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "${env:KASSA_API_PORT:-" + ApiSettings.PORT_DEFAULT + "}",
            description = "API port (env KASSA_API_PORT, default ${DEFAULT-VALUE}).")
    int port;

    @Mixin
    AdminTokenOption adminToken;

    @Option(names = "--wait-ms", defaultValue = "${env:KASSA_WAIT_MS}",
            description = "How long a POST waits for the outcome before answering 202 (env KASSA_WAIT_MS, default ${DEFAULT-VALUE}).")
    long waitMs;

    @Mixin
    RedisKeyOptions redisKeys;

    @Mixin
    RateLimitOptions rateLimits;

    @Option(names = "--card-tokens", split = ",", defaultValue = "${env:KASSA_CARD_TOKENS:-"
            + CardCapabilities.SANDBOX_TOKENS + "}",
            description = "Card tokens the card processor knows, comma-separated; a card payment with another is "
                    + "refused 400 card_token_unknown (env KASSA_CARD_TOKENS, default the sandbox's: ${DEFAULT-VALUE}).")
    List<String> cardTokens;

    @Option(names = "--card-currencies", split = ",", defaultValue = "${env:KASSA_CARD_CURRENCIES:-"
            + CardCapabilities.SANDBOX_CURRENCIES + "}",
            description = "Currencies the card processor takes, comma-separated, lower case; a card payment in another "
                    + "is refused 400 currency_not_supported (env KASSA_CARD_CURRENCIES, default ${DEFAULT-VALUE}).")
    List<String> cardCurrencies;

    /** The API's settings from the flags, the admin token and card lists as {@link #call()} checked them. */
    ApiServiceSettings toSettings(String token, CardCapabilities cards) {
        return new ApiServiceSettings(service.toShared(), postgres.toSettings(), redisUri, host, port, token,
                Duration.ofMillis(waitMs), redisKeys.redisTtl, redisKeys.redisBuckets, rateLimits.toLimits(), cards);
    }

    @Override
    public Integer call() {
        String token;
        CardCapabilities cards;
        try {
            token = adminToken.requireStrong();
            cards = CardCapabilities.SANDBOX.with(Set.copyOf(cardTokens), Set.copyOf(cardCurrencies));
        } catch (IllegalArgumentException e) {
            System.err.println("kassa api: " + e.getMessage());
            return 2;
        }
        ApiServiceSettings settings = toSettings(token, cards);
        Services.prepare(settings.shared(), settings.postgres());
        KassaApi api = Services.startApi(settings);
        System.out.println("kassa api listening on port " + api.port() + ", management " + api.management().url()
                + " (/admin, /health, /ready, /metrics)");
        return UntilShutdown.await(api);
    }
}
