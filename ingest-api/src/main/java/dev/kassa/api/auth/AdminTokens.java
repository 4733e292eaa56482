package dev.kassa.api.auth;

import java.util.List;
import java.util.Locale;

/**
 * What an admin token must be (docs/api.md, Authentication): at least {@link #LENGTH_MIN} characters,
 * not a placeholder from an example configuration, and not a run of a few repeated characters. The
 * token guards merchant creation and the topology's state, so a guessable one is refused at start.
 */
public final class AdminTokens {

    public static final int LENGTH_MIN = 32;
    /** Fewer distinct characters than this is no random token. */
    private static final int DISTINCT_MIN = 8;
    /** Words of the placeholders example configurations ship with. */
    private static final List<String> PLACEHOLDERS = List.of("change-me", "changeme", "change_me", "replace-me",
            "replace_me", "placeholder", "your-token", "your_token");

    private AdminTokens() {
    }

    /**
     * Refuses a weak token with a message that says why and how to make one; {@code setting} names
     * the setting in the message.
     */
    public static void requireStrong(String setting, String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException(setting + " is required: " + HOW);
        }
        if (token.length() < LENGTH_MIN) {
            throw new IllegalArgumentException(setting + " must have at least " + LENGTH_MIN + " characters, has "
                    + token.length() + ": " + HOW);
        }
        String lower = token.toLowerCase(Locale.ROOT);
        for (String placeholder : PLACEHOLDERS) {
            if (lower.contains(placeholder)) {
                throw new IllegalArgumentException(setting + " is a placeholder (it contains \"" + placeholder + "\"): "
                        + HOW);
            }
        }
        if (token.chars().distinct().count() < DISTINCT_MIN) {
            throw new IllegalArgumentException(setting + " repeats too few characters to be a random token: " + HOW);
        }
    }

    private static final String HOW = "use a random token, e.g. the output of `openssl rand -hex 32`";
}
