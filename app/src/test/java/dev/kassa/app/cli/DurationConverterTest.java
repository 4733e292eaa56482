package dev.kassa.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kassa.api.ApiSettings;
import dev.kassa.app.connector.ConnectorSettings;
import dev.kassa.app.reconcile.DailyReconciliation;
import dev.kassa.ledger.postgres.LedgerWriter;
import dev.kassa.ledger.sink.SinkSettings;
import dev.kassa.topology.StreamsSettings;
import dev.kassa.topology.TopologySettings;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

    /** The settings records whose {@code Duration} constants a flag may render as its default. */
    private static final List<Class<?>> SETTINGS = List.of(ApiSettings.class, SinkSettings.class, StreamsSettings.class,
            TopologySettings.class, LedgerWriter.class, ConnectorSettings.class, DailyReconciliation.class);

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

    @ParameterizedTest
    @CsvSource({
            "PT24H, 24h",
            "PT48H, 2d",
            "PT720H, 30d",
            "PT25H, 25h",
            "PT0.5S, 500ms",
            "PT1M30S, 90s",
            "PT15M, 15m",
            "PT0S, 0s",
            "PT0.0005S, PT0.0005S"})
    void rendersTheLargestWholeUnit(String duration, String expected) {
        assertThat(DurationConverter.render(Duration.parse(duration))).isEqualTo(expected);
    }

    @Test
    void everyDefaultReadsBackAsItselfFromItsRendering() throws IllegalAccessException {
        List<Duration> defaults = new ArrayList<>();
        for (Class<?> settings : SETTINGS) {
            for (Field field : settings.getFields()) {
                if (Modifier.isStatic(field.getModifiers()) && field.getType() == Duration.class) {
                    defaults.add((Duration) field.get(null));
                }
            }
        }

        assertThat(defaults).as("the settings' Duration constants").hasSizeGreaterThan(10)
                .contains(ApiSettings.IDEMPOTENCY_TTL_DEFAULT, TopologySettings.DEDUPE_RETENTION_DEFAULT,
                        SinkSettings.KEY_RETENTION_DEFAULT, ApiSettings.OUTCOME_WAIT_DEFAULT);
        for (Duration each : defaults) {
            assertThat(converter.convert(DurationConverter.render(each))).as(DurationConverter.render(each))
                    .isEqualTo(each);
        }
        for (long millis = 0; millis < 100_000_000; millis += 999_983) {
            Duration each = Duration.ofMillis(millis);
            assertThat(converter.convert(DurationConverter.render(each))).isEqualTo(each);
        }
    }
}
