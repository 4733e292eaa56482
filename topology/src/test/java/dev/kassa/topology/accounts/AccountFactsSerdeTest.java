package dev.kassa.topology.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/**
 * The {@code account-directory} values: what is written reads back equal, and bytes that are not a
 * whole entry of the known format are refused with {@link SerializationException}, never read as
 * another account's facts.
 */
class AccountFactsSerdeTest {

    private final AccountFactsSerde serde = new AccountFactsSerde();

    @Test
    void factsReadBackEqualAndNullStaysNull() {
        for (AccountFacts facts : new AccountFacts[] {new AccountFacts("mer_alpha", "usd", false),
                new AccountFacts("mér_ünïcode", "eur", true)}) {
            assertThat(serde.fromBytes(serde.toBytes(facts))).isEqualTo(facts);
        }
        assertThat(serde.toBytes(null)).isNull();
        assertThat(serde.fromBytes(null)).isNull();
    }

    @Test
    void truncatedTrailingOrUnknownFormatBytesAreRefused() {
        byte[] stored = serde.toBytes(new AccountFacts("mer_alpha", "usd", false));
        for (int length = 0; length < stored.length; length++) {
            byte[] truncated = Arrays.copyOf(stored, length);
            assertThatThrownBy(() -> serde.fromBytes(truncated)).as("%d of %d bytes", length, stored.length)
                    .isInstanceOf(SerializationException.class);
        }
        byte[] trailing = Arrays.copyOf(stored, stored.length + 1);
        assertThatThrownBy(() -> serde.fromBytes(trailing)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("unread");
        byte[] otherFormat = stored.clone();
        otherFormat[0] = 2;
        assertThatThrownBy(() -> serde.fromBytes(otherFormat)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("format");
    }

    @Test
    void aNonCanonicalCurrencyIsRefused() {
        byte[] stored = serde.toBytes(new AccountFacts("mer_alpha", "usd", false));
        byte[] upperCase = stored.clone();
        upperCase[upperCase.length - 3] = 'U';
        assertThatThrownBy(() -> serde.fromBytes(upperCase)).isInstanceOf(SerializationException.class);
    }
}
