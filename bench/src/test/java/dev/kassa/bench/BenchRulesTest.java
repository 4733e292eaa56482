package dev.kassa.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.app.cli.DurationConverter;
import dev.kassa.fraud.RuleSet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BenchRulesTest {

    @Test
    void benchRuleSetParsesAndHasNoVelocityOrDeclineRule() {
        byte[] file = BenchEnvironment.benchRules();
        RuleSet rules = RuleSet.parse(file);
        assertThat(rules.version()).isEqualTo("bench-1");
        String text = new String(file, StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("count_1m", "count_1h", "count_24h", "declines_1h", "distinct_destinations")
                .contains("bench-marker");
    }

    @Test
    void durationsReadTheShortForms() {
        DurationConverter converter = new DurationConverter();
        assertThat(converter.convert("60s")).isEqualTo(Duration.ofSeconds(60));
        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(converter.convert("PT1H")).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void allRunsEachBaselineBesideItsKassaRun() {
        BenchMain main = parsed("all", Duration.ofSeconds(5));
        assertThat(main.specs()).allMatch(spec -> spec.warmup().equals(Duration.ofSeconds(5)));
        assertThat(main.specs()).extracting(RunSpec::label).containsExactly("steady", "baseline-steady", "flash-sale",
                "baseline-flash-sale", "retry-storm", "latency");
        assertThat(main.specs().get(5).ratePerSecond()).isEqualTo(Scenario.LATENCY_RATE_DEFAULT);
        assertThat(main.specs().get(0).openLoop()).isFalse();
    }

    @Test
    void versusRunsSteadyAndFlashSaleEachBesideItsBaseline() {
        BenchMain main = parsed("versus", Duration.ofSeconds(240));
        assertThat(main.specs()).extracting(RunSpec::label)
                .containsExactly("steady", "baseline-steady", "flash-sale", "baseline-flash-sale");
        assertThat(main.specs()).allMatch(spec -> spec.warmup().equals(Duration.ofSeconds(240)) && !spec.openLoop());
    }

    @Test
    void warmupsGoOnWhileTheJitIsBusyUpToTwiceTheirLengthUnlessToldOtherwise() {
        BenchMain main = parsed("versus", Duration.ofSeconds(240));
        assertThat(main.warmupPolicy().longest()).isEqualTo(Duration.ofSeconds(480));

        main.warmupMax = Duration.ofSeconds(300);
        assertThat(main.warmupPolicy().longest()).isEqualTo(Duration.ofSeconds(300));
    }

    /** The command for {@code scenario} with small loads and {@code warmup}, as picocli would fill it. */
    private static BenchMain parsed(String scenario, Duration warmup) {
        BenchMain main = new BenchMain();
        main.scenario = scenario;
        main.duration = Duration.ofSeconds(10);
        main.connections = 8;
        main.maxInFlight = 16;
        main.sources = 10;
        main.destinations = 5;
        main.clientTimeout = Duration.ofMillis(100);
        main.requestTimeout = Duration.ofSeconds(30);
        main.drainTimeout = Duration.ofSeconds(60);
        main.warmup = warmup;
        return main;
    }
}
