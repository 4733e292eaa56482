package dev.kassa.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WarmupPolicyTest {

    private static final Duration FOUR_MINUTES = Duration.ofSeconds(240);

    @Test
    void busyCompilersExtendTheWarmupByAWindowWhileItFitsTheLongest() {
        WarmupPolicy policy = new WarmupPolicy(Duration.ofSeconds(260));

        assertThat(policy.another(FOUR_MINUTES, 0.13)).as("240 s + 10 s fits 260 s").isTrue();
        assertThat(policy.another(Duration.ofSeconds(250), 0.13)).as("250 s + 10 s is exactly 260 s").isTrue();
        assertThat(policy.another(Duration.ofSeconds(260), 0.13)).as("no window past the longest").isFalse();
    }

    @Test
    void settledCompilersEndTheWarmup() {
        WarmupPolicy policy = new WarmupPolicy(Duration.ofMinutes(10));

        assertThat(policy.another(FOUR_MINUTES, 0.029)).isFalse();
        assertThat(policy.another(FOUR_MINUTES, WarmupPolicy.QUIET_SHARE)).as("at the share is quiet enough").isFalse();
        assertThat(policy.another(FOUR_MINUTES, 0.031)).isTrue();
    }

    @Test
    void compilersThatCannotBeMeasuredEndTheWarmup() {
        assertThat(new WarmupPolicy(Duration.ofMinutes(10)).another(FOUR_MINUTES, Double.NaN)).isFalse();
    }

    @Test
    void aFixedWarmupIsNeverExtended() {
        assertThat(WarmupPolicy.FIXED.another(Duration.ZERO, 1.0)).isFalse();
        assertThat(new WarmupPolicy(FOUR_MINUTES).another(FOUR_MINUTES, 1.0)).isFalse();
    }

    @Test
    void aNegativeLongestIsRefused() {
        assertThatThrownBy(() -> new WarmupPolicy(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
