package dev.kassa.ledger.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30));

    @Test
    void waitDoublesAfterEachFailureUpToTheBound() {
        assertThat(backoff.delay(1, 0.999)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.delay(2, 0.999)).isEqualTo(Duration.ofMillis(199));
        assertThat(backoff.delay(4, 0.999)).isEqualTo(Duration.ofMillis(799));
        assertThat(backoff.delay(20, 0.999)).isLessThanOrEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.delay(Integer.MAX_VALUE, 0.999)).isLessThanOrEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void jitterStaysInTheUpperHalfAndNeverBelowTheMinimum() {
        assertThat(backoff.delay(4, 0.0)).isEqualTo(Duration.ofMillis(400));
        assertThat(backoff.delay(1, 0.0)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.delay(30, 0.0)).isEqualTo(Duration.ofSeconds(15));
        for (int failures = 1; failures < 100; failures++) {
            assertThat(backoff.delay(failures)).isBetween(Duration.ofMillis(100), Duration.ofSeconds(30));
        }
    }

    @Test
    void boundsAreCheckedAtConstruction() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> backoff.delay(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
