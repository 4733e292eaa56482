package dev.kassa.api.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kassa.api.RateLimits;
import dev.kassa.api.error.RateLimitedException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ThrottleTest {

    private final Throttle throttle = new Throttle(new RateLimits(1_000, 1_000, 1_000, 1_000, 60, 20, 2),
            new SimpleMeterRegistry());

    @Test
    void aMerchantMayHaveOnlySoManyRequestsExecutingAndGetsAPlaceBackWhenOneEnds() {
        Throttle.Permit first = throttle.enter("mer_1");
        Throttle.Permit second = throttle.enter("mer_1");

        RateLimitedException refused = catchThrowableOfType(RateLimitedException.class, () -> throttle.enter("mer_1"));
        Throttle.Permit otherMerchant = throttle.enter("mer_2");

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
        assertThat(throttle.executing("mer_1")).isEqualTo(2);
        first.close();
        Throttle.Permit third = throttle.enter("mer_1");
        second.close();
        third.close();
        otherMerchant.close();
        assertThat(throttle.executing("mer_1")).isZero();
        assertThat(throttle.executing("mer_2")).isZero();
    }

    @Test
    void limitsOutsideTheirBoundsAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new RateLimits(0, 1, 1, 1, 1, 1, 1)).hasMessageContaining("merchantPerSecond");
        assertThatThrownBy(() -> new RateLimits(1, 1, 1, 0, 1, 1, 1)).hasMessageContaining("addressBurst");
        assertThatThrownBy(() -> new RateLimits(1, 1, 1, 1, 1, 1, 0)).hasMessageContaining("merchantInFlightMax");
    }
}
