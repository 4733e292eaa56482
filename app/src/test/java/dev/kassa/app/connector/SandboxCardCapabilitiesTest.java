package dev.kassa.app.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.api.payments.CardCapabilities;
import dev.kassa.processor.sim.SandboxAcceptance;
import org.junit.jupiter.api.Test;

/**
 * The API's default card capabilities are the sandbox's (docs/api.md, Card payments): a token, a
 * currency or an amount the API lets through by default is one the sandbox charges, and the other way
 * round. Both sides are read from their own modules, the sandbox's from the lists it validates with.
 */
class SandboxCardCapabilitiesTest {

    @Test
    void apiDefaultsAreExactlyTheSandboxsTokensCurrenciesAndAmounts() {
        SandboxAcceptance sandbox = SandboxAcceptance.SANDBOX;
        CardCapabilities api = CardCapabilities.SANDBOX;

        assertThat(api.tokens()).containsExactlyInAnyOrderElementsOf(sandbox.tokens());
        assertThat(api.currencies()).containsExactlyInAnyOrderElementsOf(sandbox.currencies());
        assertThat(api.amountMin()).isEqualTo(sandbox.amountMin());
        assertThat(api.amountMax()).isEqualTo(sandbox.amountMax());
    }
}
