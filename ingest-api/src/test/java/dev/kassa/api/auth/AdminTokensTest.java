package dev.kassa.api.auth;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AdminTokensTest {

    @Test
    void aRandomTokenOf32CharactersOrMoreIsAccepted() {
        assertThatCode(() -> AdminTokens.requireStrong("token", "3f9c1a7e5b2d8046c1e7a9f3b5d20864")).doesNotThrowAnyException();
        assertThatCode(() -> AdminTokens.requireStrong("token", "kat_" + "0123456789abcdef".repeat(2))).doesNotThrowAnyException();
    }

    @Test
    void weakTokensAreRefusedSayingWhyAndHowToMakeOne() {
        assertThatThrownBy(() -> AdminTokens.requireStrong("KASSA_ADMIN_TOKEN", null))
                .hasMessageContaining("KASSA_ADMIN_TOKEN is required").hasMessageContaining("openssl rand -hex 32");
        assertThatThrownBy(() -> AdminTokens.requireStrong("KASSA_ADMIN_TOKEN", "3f9c1a7e5b2d8046c1e7a9f3b5d2086"))
                .hasMessageContaining("at least 32 characters, has 31");
        assertThatThrownBy(() -> AdminTokens.requireStrong("KASSA_ADMIN_TOKEN", "change-me-admin-token-for-production"))
                .hasMessageContaining("placeholder").hasMessageContaining("change-me");
        assertThatThrownBy(() -> AdminTokens.requireStrong("KASSA_ADMIN_TOKEN", "CHANGEME".repeat(5)))
                .hasMessageContaining("placeholder");
        assertThatThrownBy(() -> AdminTokens.requireStrong("KASSA_ADMIN_TOKEN", "ab".repeat(20)))
                .hasMessageContaining("too few characters");
    }
}
