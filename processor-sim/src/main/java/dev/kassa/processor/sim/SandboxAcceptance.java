package dev.kassa.processor.sim;

import java.util.Set;

/**
 * What the sandbox charges, read from the very lists it checks requests against (docs/processor-sim.md):
 * its test card tokens ({@link TestCards}), its currencies and its amount range ({@link ChargeValidation}).
 * The API's default card capabilities restate them; a test in {@code app} holds the two equal.
 *
 * @param tokens     the test card tokens, whatever each does
 * @param currencies the lower-case ISO 4217 currencies taken
 * @param amountMin  the smallest charge, in minor units
 * @param amountMax  the largest charge, in minor units
 */
public record SandboxAcceptance(Set<String> tokens, Set<String> currencies, long amountMin, long amountMax) {

    /** The sandbox's own. */
    public static final SandboxAcceptance SANDBOX = new SandboxAcceptance(TestCards.tokens(),
            ChargeValidation.CURRENCIES, ChargeValidation.AMOUNT_MIN, ChargeValidation.AMOUNT_MAX);

    public SandboxAcceptance {
        tokens = Set.copyOf(tokens);
        currencies = Set.copyOf(currencies);
    }
}
