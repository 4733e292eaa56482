package dev.kassa.processor.sim;

import java.math.BigDecimal;

/**
 * A share of requests in [0, 1], held exactly as basis points (1/10,000) and read from a decimal string
 * such as {@code "0.25"} or {@code "1"}; never a double, so {@code "0.1"} means exactly 1,000 in 10,000.
 * Used for fault injection only, never for money.
 */
public record Rate(int basisPoints) {

    static final int SCALE = 10_000;
    public static final Rate NEVER = new Rate(0);

    public Rate {
        if (basisPoints < 0 || basisPoints > SCALE) {
            throw new IllegalArgumentException("a rate is between 0 and 10000 basis points, got " + basisPoints);
        }
    }

    /**
     * Parses a decimal in [0, 1] with at most four decimals.
     *
     * @throws IllegalArgumentException naming {@code field} when the text is not such a decimal
     */
    public static Rate parse(String field, String text) {
        BigDecimal value;
        try {
            value = new BigDecimal(text.trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException(field + " must be a decimal between 0 and 1, e.g. \"0.25\"; got " + text);
        }
        if (value.signum() < 0 || value.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException(field + " must be between 0 and 1; got " + text);
        }
        BigDecimal basisPoints = value.movePointRight(4);
        if (basisPoints.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException(field + " has at most 4 decimals (basis points); got " + text);
        }
        return new Rate(basisPoints.intValueExact());
    }

    /** The rate as a decimal string, e.g. {@code "0.25"}. */
    @Override
    public String toString() {
        return BigDecimal.valueOf(basisPoints, 4).stripTrailingZeros().toPlainString();
    }
}
