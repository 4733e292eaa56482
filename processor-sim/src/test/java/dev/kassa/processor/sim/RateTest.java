package dev.kassa.processor.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Fault rates are exact decimals in [0, 1], held as basis points (docs/processor-sim.md, "Faults"). */
class RateTest {

    @ParameterizedTest(name = "{0} is {1} basis points")
    @CsvSource({"0, 0", "1, 10000", "0.1, 1000", "0.25, 2500", "0.0001, 1", "1.0000, 10000", "0.5000, 5000"})
    void decimalIsReadExactly(String text, int basisPoints) {
        assertThat(Rate.parse("error_rate", text).basisPoints()).isEqualTo(basisPoints);
    }

    @ParameterizedTest(name = "{0} is refused")
    @ValueSource(strings = {"-0.1", "1.0001", "2", "0.00001", "abc", "", "NaN", "1e-5"})
    void anythingElseIsRefusedNamingTheField(String text) {
        assertThatThrownBy(() -> Rate.parse("error_rate", text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("error_rate");
    }

    @Test
    void rateWritesItselfAsTheShortestDecimal() {
        assertThat(Rate.parse("timeout_rate", "0.2500").toString()).isEqualTo("0.25");
        assertThat(Rate.parse("timeout_rate", "1").toString()).isEqualTo("1");
    }
}
