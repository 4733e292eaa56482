package dev.kassa.fraud;

/** Checks on the free text of rule files: reasons and account ids end up in events and on screens. */
final class Text {

    private Text() {
    }

    /**
     * True when {@code text} has no control characters and no unpaired surrogate halves: such text
     * could break a one-line log or reason list, and cannot be written back as UTF-8 JSON.
     */
    static boolean isPrintable(String text) {
        for (int index = 0; index < text.length(); index++) {
            char character = text.charAt(index);
            if (Character.isISOControl(character)) {
                return false;
            }
            if (Character.isHighSurrogate(character)) {
                if (index + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(index + 1))) {
                    return false;
                }
                index++;
            } else if (Character.isLowSurrogate(character)) {
                return false;
            }
        }
        return true;
    }

    /** True when {@code text} is 1..{@code lengthMax} visible ASCII characters (no space). */
    static boolean isVisibleAscii(String text, int lengthMax) {
        return !text.isEmpty() && text.length() <= lengthMax && text.chars().allMatch(c -> c >= 0x21 && c <= 0x7e);
    }

    /** {@code text} quoted for a message, cut short so one bad value cannot flood a log. */
    static String quote(String text) {
        int shown = 80;
        String cut = text.length() <= shown ? text : text.substring(0, shown) + "…";
        return "\"" + cut.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
