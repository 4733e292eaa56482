package dev.kassa.model;

import java.time.Duration;
import java.util.Objects;

/**
 * Fail-fast checks for settings and values at construction: every bound a configuration record
 * enforces goes through here, so each violation names the setting, its bounds and the value.
 */
public final class Bounds {

    private Bounds() {
    }

    /** Throws unless {@code value} is non-null and not blank. */
    public static String requireText(String name, String value) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    /** Throws unless {@code min <= value <= max}. */
    public static long requireWithin(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be within " + min + ".." + max + ": " + value);
        }
        return value;
    }

    /** Throws unless {@code value} is non-null and {@code min <= value <= max}. */
    public static Duration requireWithin(String name, Duration value, Duration min, Duration max) {
        Objects.requireNonNull(value, name);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " must be within " + min + ".." + max + ": " + value);
        }
        return value;
    }
}
