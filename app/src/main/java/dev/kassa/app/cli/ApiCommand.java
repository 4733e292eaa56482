package dev.kassa.app.cli;

import dev.kassa.api.KassaApi;
import dev.kassa.api.auth.AdminTokens;
import dev.kassa.api.payments.CardCapabilities;
import dev.kassa.app.GatewaySettings;
import dev.kassa.app.Services;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kassa api}: the HTTP API alone, against running Kafka, Postgres and Redis. */
@Command(name = "api", mixinStandardHelpOptions = true, description = "Run the HTTP ingest API.")
public final class ApiCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connections;

    @Mixin
    ServiceOptions service;

    @Option(names = "--card-tokens", split = ",", defaultValue = "${env:KASSA_CARD_TOKENS:-"
            + "tok_visa,tok_mastercard,tok_chargeDeclined,tok_insufficientFunds,tok_expired,tok_review}",
            description = "Card tokens the card processor knows, comma-separated; a card payment with another is "
                    + "refused 400 card_token_unknown (env KASSA_CARD_TOKENS, default the sandbox's: ${DEFAULT-VALUE}).")
    List<String> cardTokens;

    @Option(names = "--card-currencies", split = ",", defaultValue = "${env:KASSA_CARD_CURRENCIES:-usd,eur,gbp}",
            description = "Currencies the card processor takes, comma-separated, lower case; a card payment in another "
                    + "is refused 400 currency_not_supported (env KASSA_CARD_CURRENCIES, default ${DEFAULT-VALUE}).")
    List<String> cardCurrencies;

    @Override
    public Integer call() {
        CardCapabilities cards;
        try {
            AdminTokens.requireStrong("KASSA_ADMIN_TOKEN (or --admin-token)", service.adminToken);
            cards = CardCapabilities.SANDBOX.with(Set.copyOf(cardTokens), Set.copyOf(cardCurrencies));
        } catch (IllegalArgumentException e) {
            System.err.println("kassa api: " + e.getMessage());
            return 2;
        }
        GatewaySettings settings = service.toSettings(connections.toConnections(), service.adminToken);
        Services.prepare(settings);
        KassaApi api = Services.startApi(settings, cards);
        System.out.println("kassa api listening on port " + api.port() + ", management " + api.management().url()
                + " (/admin, /health, /ready, /metrics)");
        return UntilShutdown.await(api);
    }
}
