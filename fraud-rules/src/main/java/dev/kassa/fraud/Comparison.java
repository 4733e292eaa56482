package dev.kassa.fraud;

import java.util.Arrays;
import java.util.Optional;

/**
 * How a rule compares a feature's value (left) with its threshold (right), by the operator rule
 * files write: {@code >}, {@code >=}, {@code <}, {@code <=}, {@code ==}, {@code !=}.
 */
public enum Comparison {
    GREATER(">"),
    GREATER_OR_EQUAL(">="),
    LESS("<"),
    LESS_OR_EQUAL("<="),
    EQUAL("=="),
    NOT_EQUAL("!=");

    private final String symbol;

    Comparison(String symbol) {
        this.symbol = symbol;
    }

    /** The operator as rule files write it. */
    public String symbol() {
        return symbol;
    }

    /** True when {@code value <op> threshold}. */
    public boolean test(long value, long threshold) {
        return switch (this) {
            case GREATER -> value > threshold;
            case GREATER_OR_EQUAL -> value >= threshold;
            case LESS -> value < threshold;
            case LESS_OR_EQUAL -> value <= threshold;
            case EQUAL -> value == threshold;
            case NOT_EQUAL -> value != threshold;
        };
    }

    /** True for the comparisons that make sense on a boolean feature: {@code ==} and {@code !=}. */
    public boolean isEquality() {
        return this == EQUAL || this == NOT_EQUAL;
    }

    /** The comparison a rule file writes as {@code symbol}, if any. */
    public static Optional<Comparison> bySymbol(String symbol) {
        return Arrays.stream(values()).filter(comparison -> comparison.symbol.equals(symbol)).findFirst();
    }
}
