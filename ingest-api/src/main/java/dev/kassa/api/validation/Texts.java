package dev.kassa.api.validation;

/**
 * Checks on client text that ends up in Postgres: it must not hold U+0000 (neither {@code text} nor
 * {@code jsonb} can store it) nor unpaired UTF-16 surrogates (which have no UTF-8 encoding). Either
 * would otherwise be accepted here and then fail in the ledger sink.
 */
public final class Texts {

    private Texts() {
    }

    /** Length in Unicode code points, as Postgres' {@code length()} counts it. */
    public static int length(String text) {
        return text.codePointCount(0, text.length());
    }

    /** True when {@code text} can be stored in Postgres unchanged. */
    public static boolean isStorable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
