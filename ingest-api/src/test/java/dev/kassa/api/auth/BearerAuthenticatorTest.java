package dev.kassa.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kassa.api.error.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A merchant is known by its secret key's hash alone; every other credential is a 401 with a precise code. */
class BearerAuthenticatorTest {

    private static final String ADMIN_TOKEN = "admin-token-0123456789";
    private static final String SECRET_KEY = SecretKeys.generate();
    private static final Merchant MERCHANT = new Merchant("mer_1", "Acme", "acct_1", Instant.parse("2026-11-25T08:00:00Z"));

    private final AtomicInteger lookups = new AtomicInteger();
    private final Map<String, Merchant> byHash = Map.of(SecretKeys.hash(SECRET_KEY), MERCHANT);
    private final BearerAuthenticator authenticator = new BearerAuthenticator(hash -> {
        lookups.incrementAndGet();
        return Optional.ofNullable(byHash.get(hash));
    }, new MerchantCache(10, Duration.ofMinutes(1), Clock.systemUTC()), ADMIN_TOKEN);

    private static void assertUnauthenticated(Runnable call, String code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ApiException.class, error -> {
            assertThat(error.status()).isEqualTo(401);
            assertThat(error.type().wireName()).isEqualTo("authentication_error");
            assertThat(error.code()).isEqualTo(code);
        });
    }

    @Test
    void secretKeysAreRandomAndStoredAsSha256Hex() {
        assertThat(SECRET_KEY).matches("sk_[0-9a-f]{64}");
        assertThat(SecretKeys.generate()).isNotEqualTo(SECRET_KEY);
        assertThat(SecretKeys.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void merchantIsFoundByItsKeyAndThenServedFromTheCache() {
        assertThat(authenticator.merchant("Bearer " + SECRET_KEY)).isEqualTo(MERCHANT);
        assertThat(authenticator.merchant("bearer  " + SECRET_KEY + " ")).isEqualTo(MERCHANT);

        assertThat(lookups).hasValue(1);
    }

    @Test
    void missingOrWrongCredentialsAreRejected() {
        assertUnauthenticated(() -> authenticator.merchant(null), "api_key_missing");
        assertUnauthenticated(() -> authenticator.merchant(" "), "api_key_missing");
        assertUnauthenticated(() -> authenticator.merchant(SECRET_KEY), "api_key_invalid");
        assertUnauthenticated(() -> authenticator.merchant("Basic " + SECRET_KEY), "api_key_invalid");
        assertUnauthenticated(() -> authenticator.merchant("Bearer " + SecretKeys.generate()), "api_key_invalid");
        assertUnauthenticated(() -> authenticator.merchant("Bearer " + ADMIN_TOKEN), "api_key_invalid");
        assertUnauthenticated(() -> authenticator.merchant("Bearer sk_" + "x".repeat(1000)), "api_key_invalid");
    }

    @Test
    void adminTokenIsTheOnlyAdminCredential() {
        assertThatCode(() -> authenticator.admin("Bearer " + ADMIN_TOKEN)).doesNotThrowAnyException();
        assertUnauthenticated(() -> authenticator.admin(null), "api_key_missing");
        assertUnauthenticated(() -> authenticator.admin("Bearer " + SECRET_KEY), "api_key_invalid");
        assertUnauthenticated(() -> authenticator.admin("Bearer " + ADMIN_TOKEN + "x"), "api_key_invalid");
    }

    @Test
    void cacheIsBoundedAndExpires() {
        MutableClock clock = new MutableClock();
        MerchantCache cache = new MerchantCache(2, Duration.ofSeconds(60), clock);
        cache.put("a", MERCHANT);
        cache.put("b", MERCHANT);
        cache.put("c", MERCHANT);

        assertThat(cache.size()).as("at most two merchants kept").isEqualTo(2);
        assertThat(Stream.of("a", "b", "c").filter(hash -> cache.get(hash).isPresent()))
                .as("one of the three was evicted").hasSize(2);

        clock.now = clock.now.plusSeconds(59);
        cache.put("d", MERCHANT);
        clock.now = clock.now.plusSeconds(1);
        assertThat(Stream.of("a", "b", "c").filter(hash -> cache.get(hash).isPresent()))
                .as("trusted for 60 s after being cached, not longer").isEmpty();
        assertThat(cache.get("d")).as("cached a second ago").contains(MERCHANT);
    }

    @Test
    void aCacheOfSizeZeroKeepsNothing() {
        MerchantCache cache = new MerchantCache(0, Duration.ofSeconds(60), new MutableClock());
        assertThat(cache.put("a", MERCHANT)).isEqualTo(MERCHANT);
        assertThat(cache.get("a")).isEmpty();
        assertThat(cache.size()).isZero();
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-11-25T08:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
