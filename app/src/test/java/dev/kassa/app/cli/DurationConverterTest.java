package dev.kassa.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

    private final DurationConverter converter = new DurationConverter();

    @ParameterizedTest
    @CsvSource({
            "500ms, PT0.5S",
            "90s, PT1M30S",
            "15m, PT15M",
            "25h, PT25H",
            "30d, PT720H",
            "' 2H ', PT2H",
            "PT25H, PT25H",
            "P1DT1H, PT25H"})
    void readsAmountsWithUnitsAndIsoDurations(String text, String expected) {
        assertThat(converter.convert(text)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "h", "25", "-1h", "1.5h", "25 h", "1w", "soon", "9999999999s"})
    void refusesAnythingElseNamingTheValue(String text) {
        assertThatThrownBy(() -> converter.convert(text))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("'" + text + "'");
    }
}
