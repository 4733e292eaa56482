package dev.kassa.ledger.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CopyRowsTest {

    @Test
    void rowIsTabSeparatedNewlineTerminatedWithNullAsBackslashN() {
        StringBuilder text = new StringBuilder();

        CopyRows.appendRow(text, Arrays.asList("evt_1", "0", null, "-2500"), 4);

        // COPY's text format (PostgreSQL manual, COPY, "Text Format"), written out by hand.
        assertThat(text.toString()).isEqualTo("evt_1\t0\t\\N\t-2500\n");
    }

    @Test
    void characterThatWouldEndAFieldOrARowIsEscaped() {
        // A value holding COPY's own delimiters must arrive as the same value, not as extra columns or
        // rows, and a literal "\N" must not turn into NULL.
        StringBuilder text = new StringBuilder();

        CopyRows.appendRow(text, List.of("a\tb", "c\nd\re", "back\\slash", "\\N"), 4);

        assertThat(text.toString()).isEqualTo("a\\tb\tc\\nd\\re\tback\\\\slash\t\\\\N\n");
    }

    @Test
    void rowOfTheWrongWidthIsRefused() {
        assertThatThrownBy(() -> CopyRows.appendRow(new StringBuilder(), List.of("a"), 2))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
