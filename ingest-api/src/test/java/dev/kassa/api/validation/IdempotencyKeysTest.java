package dev.kassa.api.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kassa.api.error.ApiException;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The Idempotency-Key format of docs/api.md: 1-255 visible ASCII characters (0x21-0x7E), sent once. */
class IdempotencyKeysTest {

    /** Every visible ASCII character, 94 of them. */
    private static final String VISIBLE = IntStream.rangeClosed(0x21, 0x7E)
            .mapToObj(c -> String.valueOf((char) c)).collect(Collectors.joining());

    static Stream<Arguments> malformedKeys() {
        return Stream.of(
                Arguments.of("empty", ""),
                Arguments.of("256 characters", "k".repeat(256)),
                Arguments.of("control character", "order\u000142"),
                Arguments.of("tab", "order\t42"),
                Arguments.of("DEL", "order\u007f42"),
                Arguments.of("space inside", "order 42"),
                Arguments.of("leading space", " order42"),
                Arguments.of("non-ASCII letter", "ordér-42"),
                Arguments.of("emoji", "order-\uD83D\uDCB8"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedKeys")
    void malformedKeyIsRejectedAsInvalid(String name, String key) {
        assertThat(IdempotencyKeys.isValid(key)).isFalse();
        assertThatThrownBy(() -> IdempotencyKeys.required(List.of(key)))
                .isInstanceOfSatisfying(ApiException.class, error -> {
                    assertThat(error.status()).isEqualTo(400);
                    assertThat(error.code()).isEqualTo("idempotency_key_invalid");
                });
    }

    @Test
    void oneAndTwoHundredFiftyFiveVisibleCharactersAreAccepted() {
        String longest = VISIBLE.repeat(3).substring(0, 255);

        assertThat(IdempotencyKeys.required(List.of("k"))).isEqualTo("k");
        assertThat(IdempotencyKeys.required(List.of(longest))).isEqualTo(longest);
        assertThat(IdempotencyKeys.required(List.of(VISIBLE))).isEqualTo(VISIBLE);
    }

    @Test
    void missingKeyIsRejectedOnlyWhereRequired() {
        assertThatThrownBy(() -> IdempotencyKeys.required(List.of()))
                .isInstanceOfSatisfying(ApiException.class, error -> {
                    assertThat(error.status()).isEqualTo(400);
                    assertThat(error.code()).isEqualTo("idempotency_key_missing");
                });
        assertThat(IdempotencyKeys.optional(List.of())).isEmpty();
        assertThat(IdempotencyKeys.optional(List.of("admin-1"))).hasValue("admin-1");
    }

    @Test
    void keySentTwiceIsInvalid() {
        assertThatThrownBy(() -> IdempotencyKeys.optional(List.of("a", "a")))
                .isInstanceOfSatisfying(ApiException.class, error ->
                        assertThat(error.code()).isEqualTo("idempotency_key_invalid"));
    }
}
