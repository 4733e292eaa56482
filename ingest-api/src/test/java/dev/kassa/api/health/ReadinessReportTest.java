package dev.kassa.api.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReadinessReportTest {

    @Test
    void optionalComponentDownDegradesButKeepsTheApiReady() {
        Map<String, String> failures = new LinkedHashMap<>();
        failures.put("kafka", null);
        failures.put("redis", "connection refused");
        failures.put("postgres", null);

        ReadinessReport report = new ReadinessReport(failures, Set.of("redis"));

        assertThat(report.ready()).isTrue();
        assertThat(report.toJson().path("status").asText()).isEqualTo("degraded");
        assertThat(report.toJson().path("components").path("redis").path("status").asText()).isEqualTo("degraded");
        assertThat(report.toJson().path("components").path("kafka").path("status").asText()).isEqualTo("ok");
    }

    @Test
    void essentialComponentDownMakesTheApiUnavailable() {
        Map<String, String> failures = new LinkedHashMap<>();
        failures.put("kafka", "timeout");
        failures.put("redis", "connection refused");

        ReadinessReport report = new ReadinessReport(failures, Set.of("redis"));

        assertThat(report.ready()).isFalse();
        assertThat(report.toJson().path("status").asText()).isEqualTo("unavailable");
        assertThat(report.toJson().path("components").path("kafka").path("status").asText()).isEqualTo("unavailable");
    }

    @Test
    void everyComponentUpIsOk() {
        Map<String, String> failures = new LinkedHashMap<>();
        failures.put("kafka", null);
        failures.put("redis", null);
        assertThat(new ReadinessReport(failures, Set.of("redis")).toJson().path("status").asText()).isEqualTo("ok");
    }
}
