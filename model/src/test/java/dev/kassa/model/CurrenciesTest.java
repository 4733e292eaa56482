package dev.kassa.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CurrenciesTest {

    @ParameterizedTest
    @CsvSource({"usd,usd,2", "USD,usd,2", "jPy,jpy,0", "kwd,kwd,3", "EUR,eur,2", "bhd,bhd,3", "clp,clp,0"})
    void acceptsIsoCodesInAnyCaseAndKnowsTheirMinorUnits(String input, String canonical, int digits) {
        assertThat(Currencies.normalize(input)).contains(canonical);
        assertThat(Currencies.minorUnitDigits(input)).isEqualTo(digits);
        assertThat(Currencies.isCanonical(canonical)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "us", "usdd", "xyz", "u$d", "12a", "xau", "xxx", "xts", " usd"})
    void rejectsUnknownCodesAndCodesWithoutMinorUnit(String input) {
        assertThat(Currencies.normalize(input)).isEmpty();
        assertThatThrownBy(() -> Currencies.minorUnitDigits(input)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"USD", "Usd"})
    void upperCaseIsNotCanonical(String code) {
        assertThat(Currencies.isCanonical(code)).isFalse();
    }
}
