package dev.kassa.api.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** /ready reports each component and answers within about one timeout even when a component hangs. */
class ComponentReadinessTest {

    private static ComponentCheck check(String name, ThrowingCheck body) {
        return new ComponentCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void check(Duration timeout) throws Exception {
                body.run();
            }
        };
    }

    private interface ThrowingCheck {
        void run() throws Exception;
    }

    @Test
    void everyComponentIsReportedAndOneFailureMakesItUnready() {
        try (ComponentReadiness readiness = new ComponentReadiness(List.of(
                check("kafka", () -> { }),
                check("redis", () -> {
                    throw new IllegalStateException("Connection refused");
                }),
                check("postgres", () -> { })), Duration.ofMillis(500))) {

            ReadinessReport report = readiness.check();

            assertThat(report.ready()).isFalse();
            assertThat(report.failures()).containsEntry("kafka", null).containsEntry("redis", "Connection refused")
                    .containsEntry("postgres", null);
            assertThat(report.failures().keySet()).containsExactly("kafka", "redis", "postgres");
        }
    }

    @Test
    void hangingComponentIsReportedAfterTheTimeout() {
        try (ComponentReadiness readiness = new ComponentReadiness(List.of(
                check("kafka", () -> Thread.sleep(10_000)),
                check("postgres", () -> { })), Duration.ofMillis(200))) {
            long started = System.nanoTime();

            ReadinessReport report = readiness.check();

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
            assertThat(report.ready()).isFalse();
            assertThat(report.failures().get("kafka")).contains("no answer");
            assertThat(report.failures().get("postgres")).isNull();
        }
    }

    @Test
    void allComponentsUpIsReady() {
        try (ComponentReadiness readiness = new ComponentReadiness(List.of(check("kafka", () -> { })), Duration.ofMillis(200))) {
            assertThat(readiness.check().ready()).isTrue();
            assertThat(readiness.check().toJson().toString())
                    .isEqualTo("{\"status\":\"ok\",\"components\":{\"kafka\":{\"status\":\"ok\"}}}");
        }
    }
}
