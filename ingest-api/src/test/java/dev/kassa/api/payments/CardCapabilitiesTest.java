package dev.kassa.api.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the API takes as the card processor's capabilities: well-formed tokens and canonical currencies only. */
class CardCapabilitiesTest {

    @Test
    void sandboxDefaultsAreTheSandboxesTestCardsCurrenciesAndAmounts() {
        // The table of docs/processor-sim.md, written out by hand.
        assertThat(CardCapabilities.SANDBOX.tokens()).containsExactlyInAnyOrder("tok_visa", "tok_mastercard",
                "tok_chargeDeclined", "tok_insufficientFunds", "tok_expired", "tok_review");
        assertThat(CardCapabilities.SANDBOX.currencies()).containsExactlyInAnyOrder("usd", "eur", "gbp");
        assertThat(CardCapabilities.SANDBOX.amountMin()).isEqualTo(50);
        assertThat(CardCapabilities.SANDBOX.amountMax()).isEqualTo(99_999_999);
    }

    @Test
    void configuredTokensAndCurrenciesMustBeWellFormed() {
        assertThatThrownBy(() -> CardCapabilities.SANDBOX.with(Set.of("4242424242424242"), Set.of("usd")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4242424242424242");
        assertThatThrownBy(() -> CardCapabilities.SANDBOX.with(Set.of("tok_visa"), Set.of("USD")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("USD");
        assertThatThrownBy(() -> CardCapabilities.SANDBOX.with(Set.of(), Set.of("usd")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(CardCapabilities.SANDBOX.with(Set.of("tok_live_1"), Set.of("chf")).currencies()).containsExactly("chf");
    }
}
