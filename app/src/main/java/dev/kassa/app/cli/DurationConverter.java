package dev.kassa.app.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration flag written as a whole number and a unit ({@code 500ms}, {@code 90s}, {@code 25h},
 * {@code 30d}) or in ISO-8601 ({@code PT25H}). Every {@code kassa} command reads durations with it,
 * the bench's included; {@link #render(Duration)} writes a default in the same syntax for the help
 * text and the README's table.
 */
public final class DurationConverter implements ITypeConverter<Duration> {

    private static final Pattern AMOUNT_AND_UNIT = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");
    /** The largest amount one unit can take, as {@link #AMOUNT_AND_UNIT} reads it. */
    private static final long AMOUNT_MAX = 999_999_999L;
    /** The units {@link #render(Duration)} tries, largest first. */
    private static final Duration[] UNITS = {Duration.ofDays(1), Duration.ofHours(1), Duration.ofMinutes(1),
            Duration.ofSeconds(1), Duration.ofMillis(1)};
    private static final String[] UNIT_NAMES = {"d", "h", "m", "s", "ms"};

    /**
     * {@code duration} as {@link #convert(String)} reads it back: a whole number of the largest unit that
     * divides it ({@code 30d}, {@code 25h}, {@code 500ms}, {@code 0s}), except that a single day is
     * written {@code 24h}, as the idempotency window is everywhere in the docs; ISO-8601 when no unit
     * divides it (below a millisecond, or negative).
     */
    public static String render(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        if (duration.equals(Duration.ofDays(1))) {
            return "24h";
        }
        if (!duration.isNegative()) {
            for (int i = 0; i < UNITS.length; i++) {
                if (divides(UNITS[i], duration) && duration.dividedBy(UNITS[i]) <= AMOUNT_MAX) {
                    return duration.dividedBy(UNITS[i]) + UNIT_NAMES[i];
                }
            }
        }
        return duration.toString();
    }

    /** Whether {@code duration} is a whole number of {@code unit}s (every unit is a whole number of milliseconds). */
    private static boolean divides(Duration unit, Duration duration) {
        if (unit.getNano() == 0) {
            return duration.getNano() == 0 && duration.getSeconds() % unit.getSeconds() == 0;
        }
        return duration.getNano() % unit.getNano() == 0;
    }

    @Override
    public Duration convert(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        Matcher matcher = AMOUNT_AND_UNIT.matcher(text);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(value.trim());
        } catch (RuntimeException e) {
            throw new TypeConversionException("'" + value + "' is not a duration; write e.g. 90s, 25h, 30d or PT25H");
        }
    }
}
