package dev.kassa.api.payments;

import dev.kassa.model.Bounds;
import dev.kassa.model.Currencies;
import dev.kassa.model.Money;
import java.util.Objects;
import java.util.Set;

/**
 * What the card processor takes, as the API knows it without asking the processor on each request:
 * the card tokens it charges, the currencies it settles and its amount range (docs/api.md, Card
 * payments). It comes from configuration ({@code kassa api --card-tokens}, {@code --card-currencies}); the
 * defaults are the sandbox's ({@code kassa processor-sim}, docs/processor-sim.md), so a request the
 * processor would refuse for good is refused here, with a 400, before anything is published.
 *
 * @param tokens    the card tokens the processor knows
 * @param currencies the lower-case ISO 4217 currencies it takes
 * @param amountMin the smallest amount it charges, in minor units
 * @param amountMax the largest amount it charges, in minor units
 */
public record CardCapabilities(Set<String> tokens, Set<String> currencies, long amountMin, long amountMax) {

    /** The sandbox's test card tokens, comma-separated, as {@code kassa api --card-tokens} takes them. */
    public static final String SANDBOX_TOKENS =
            "tok_visa,tok_mastercard,tok_chargeDeclined,tok_insufficientFunds,tok_expired,tok_review";
    /** The sandbox's currencies, comma-separated, as {@code kassa api --card-currencies} takes them. */
    public static final String SANDBOX_CURRENCIES = "usd,eur,gbp";

    /** The sandbox's test cards, currencies and amount range. */
    public static final CardCapabilities SANDBOX = new CardCapabilities(Set.of(SANDBOX_TOKENS.split(",")),
            Set.of(SANDBOX_CURRENCIES.split(",")), 50, 99_999_999);

    public CardCapabilities {
        tokens = Set.copyOf(Objects.requireNonNull(tokens, "tokens"));
        currencies = Set.copyOf(Objects.requireNonNull(currencies, "currencies"));
        if (tokens.isEmpty() || currencies.isEmpty()) {
            throw new IllegalArgumentException("card capabilities need at least one token and one currency");
        }
        for (String token : tokens) {
            if (!token.matches("tok_[A-Za-z0-9_]{1,64}")) {
                throw new IllegalArgumentException("a card token is tok_ and 1-64 of A-Z a-z 0-9 _: " + token);
            }
        }
        for (String currency : currencies) {
            if (!Currencies.isCanonical(currency)) {
                throw new IllegalArgumentException("card currency must be a lower-case ISO 4217 code: " + currency);
            }
        }
        Bounds.requireWithin("cardAmountMin", amountMin, 1, Money.AMOUNT_MAX);
        Bounds.requireWithin("cardAmountMax", amountMax, amountMin, Money.AMOUNT_MAX);
    }

    /** These capabilities with other tokens and currencies, the amount range kept. */
    public CardCapabilities with(Set<String> tokens, Set<String> currencies) {
        return new CardCapabilities(tokens, currencies, amountMin, amountMax);
    }
}
