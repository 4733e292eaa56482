package dev.kassa.model;

import java.util.Currency;
import java.util.Locale;
import java.util.Optional;

/**
 * ISO 4217 currencies as Kassa accepts them: a lower-case three-letter code with a known number of
 * minor-unit digits (JPY 0, USD 2, KWD 3). Codes without minor units in ISO 4217 (precious metals,
 * testing and "no currency" codes such as XAU or XXX) are rejected because an amount in them has no
 * integer minor unit.
 */
public final class Currencies {

    private Currencies() {
    }

    /**
     * Normalizes {@code code} to Kassa's canonical lower-case form when it is a usable ISO 4217 code.
     *
     * @return the lower-case code, or empty when the code is unknown or has no minor unit
     */
    public static Optional<String> normalize(String code) {
        if (code == null || code.length() != 3) {
            return Optional.empty();
        }
        String upper = code.toUpperCase(Locale.ROOT);
        if (!upper.chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
            return Optional.empty();
        }
        try {
            // The JDK ships the ISO 4217 table; -1 marks codes without a minor unit.
            if (Currency.getInstance(upper).getDefaultFractionDigits() < 0) {
                return Optional.empty();
            }
        } catch (IllegalArgumentException unknown) {
            return Optional.empty();
        }
        return Optional.of(upper.toLowerCase(Locale.ROOT));
    }

    /** Number of digits of the minor unit of a code accepted by {@link #normalize(String)}. */
    public static int minorUnitDigits(String code) {
        String canonical = normalize(code)
                .orElseThrow(() -> new IllegalArgumentException("not a usable ISO 4217 currency: " + code));
        return Currency.getInstance(canonical.toUpperCase(Locale.ROOT)).getDefaultFractionDigits();
    }

    /** True when {@code code} is already in canonical form (lower case, known, with a minor unit). */
    public static boolean isCanonical(String code) {
        return normalize(code).filter(c -> c.equals(code)).isPresent();
    }
}
