package dev.kassa.app.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kassa.model.Ids;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class IdempotencyKeyPathTest {

    private static final String MERCHANT = Ids.next(Ids.MERCHANT);
    /** Every character a key may hold, 0x21 to 0x7E. */
    private static final String EVERY_KEY_CHARACTER = IntStream.rangeClosed(0x21, 0x7E)
            .mapToObj(c -> String.valueOf((char) c)).collect(Collectors.joining());

    @Test
    void encodedKeyIsDecodedExactlyOnce() {
        assertThat(IdempotencyKeyPath.parse(MERCHANT, "a%2Fb%25c%3Fd", null).key()).isEqualTo("a/b%c?d");
        assertThat(IdempotencyKeyPath.parse(MERCHANT, "a%252F", null).key()).isEqualTo("a%2F");
        assertThat(IdempotencyKeyPath.parse(MERCHANT, "%2e%2E", null).key()).isEqualTo("..");
    }

    @Test
    void plusStaysAPlus() {
        assertThat(IdempotencyKeyPath.parse(MERCHANT, "a+b", null).key()).isEqualTo("a+b");
        assertThat(IdempotencyKeyPath.parse(MERCHANT, "a%2Bb", null).key()).isEqualTo("a+b");
    }

    @Test
    void everyValidKeyRoundTripsThroughItsEncoding() {
        for (String key : new String[] {EVERY_KEY_CHARACTER, "x", "k".repeat(255), "..", "%", "/", "?#;="}) {
            IdempotencyKeyPath path = IdempotencyKeyPath.parse(MERCHANT, IdempotencyKeyPath.encode(key), null);
            assertThat(path.key()).isEqualTo(key);
            assertThat(path.path()).isEqualTo("/state/idempotency/" + MERCHANT + "/" + IdempotencyKeyPath.encode(key));
            assertThat(IdempotencyKeyPath.encode(key)).doesNotContain("/", "?", "#", "%2e", "+");
        }
    }

    @Test
    void malformedKeyIsRejectedNamingTheKey() {
        for (String raw : new String[] {"", "%20", "a%20b", "%7F", "%00", "%C3%A9", "%", "%4", "%zz", "a%2",
                "k".repeat(256), "%41".repeat(256), "\u00e9"}) {
            assertThatThrownBy(() -> IdempotencyKeyPath.parse(MERCHANT, raw, null))
                    .as(raw)
                    .isInstanceOfSatisfying(StateException.class, error -> {
                        assertThat(error.status()).isEqualTo(400);
                        assertThat(error.code()).isEqualTo("parameter_invalid");
                        assertThat(error.param()).isEqualTo("key");
                    });
        }
    }

    @Test
    void malformedMerchantIsRejectedNamingTheMerchant() {
        for (String raw : new String[] {"", "mer_", "acct_" + MERCHANT.substring(4), MERCHANT.toUpperCase(),
                MERCHANT + "0", "mer_xyz", "%", MERCHANT.substring(0, 10) + "%2F" + MERCHANT.substring(13)}) {
            assertThatThrownBy(() -> IdempotencyKeyPath.parse(raw, "key", null))
                    .as(raw)
                    .isInstanceOfSatisfying(StateException.class, error -> {
                        assertThat(error.status()).isEqualTo(400);
                        assertThat(error.param()).isEqualTo("merchant");
                    });
        }
        assertThat(IdempotencyKeyPath.parse(MERCHANT, "key", null).merchant()).isEqualTo(MERCHANT);
    }

    @Test
    void routingAccountMustBeAnAccountIdAndIsKeptInTheCanonicalPath() {
        String account = dev.kassa.model.Ids.next(dev.kassa.model.Ids.ACCOUNT);

        IdempotencyKeyPath path = IdempotencyKeyPath.parse(MERCHANT, "a%2Fb", account);

        assertThat(path.account()).isEqualTo(account);
        assertThat(path.path()).isEqualTo("/state/idempotency/" + MERCHANT + "/a%2Fb?account=" + account);
        assertThat(IdempotencyKeyPath.parse(MERCHANT, "k", null).path()).doesNotContain("?");
        for (String bad : new String[] {"", "acct_", "mer_0123", account.toUpperCase(java.util.Locale.ROOT), account + "0"}) {
            assertThatThrownBy(() -> IdempotencyKeyPath.parse(MERCHANT, "k", bad))
                    .as(bad)
                    .isInstanceOfSatisfying(StateException.class, error -> {
                        assertThat(error.status()).isEqualTo(400);
                        assertThat(error.param()).isEqualTo("account");
                    });
        }
    }
}
