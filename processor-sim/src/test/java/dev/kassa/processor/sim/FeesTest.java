package dev.kassa.processor.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** docs/processor-sim.md's fee: 2.9 % rounded half up to a minor unit, plus 30; expected values worked by hand. */
class FeesTest {

    @ParameterizedTest(name = "fee of {0} is {1}")
    @CsvSource({
            "50, 31",          // 1.45 -> 1
            "1250, 66",        // 36.25 -> 36
            "1000, 59",        // 29 exactly
            "1724, 80",        // 49.996 -> 50
            "1707, 80",        // 49.503 -> 50 (half up)
            "1706, 79",        // 49.474 -> 49
            "99999999, 2900030" // 2,899,999.971 -> 2,900,000
    })
    void feeIsTwoPointNinePercentRoundedHalfUpPlusThirty(long amount, long fee) {
        assertThat(Fees.chargeFee(amount)).isEqualTo(fee);
    }

    @Test
    void exactHalfMinorUnitRoundsUp() {
        // 2.9 % of 500 is 14.5 minor units: half up gives 15.
        assertThat(Fees.chargeFee(500)).isEqualTo(15 + 30);
    }

    @Test
    void amountOutsideTheChargeBoundsHasNoFee() {
        assertThatThrownBy(() -> Fees.chargeFee(49)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Fees.chargeFee(100_000_000)).isInstanceOf(IllegalArgumentException.class);
    }
}
