package dev.kassa.processor.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kassa.processor.Charge;
import dev.kassa.processor.ChargeRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal (docs/processor-sim.md, "Journal"): what was appended is replayed with its idempotency
 * record; a last line cut short by a crash is dropped; a damaged earlier line stops the start; a second
 * sandbox cannot open the same directory.
 */
class JournalTest {

    @TempDir
    Path directory;

    @Test
    void replayedBookAnswersEarlierKeysWithTheSameCharges() throws IOException {
        ChargeRequest request = new ChargeRequest(1_250, "usd", "tok_visa", "pay_journal");
        ChargeBook.Answer charged;
        ChargeBook.Answer refunded;
        try (Journal journal = Journal.open(directory)) {
            ChargeBook book = new ChargeBook(journal, Clock.systemUTC());
            charged = book.createCharge("key-1", request);
            refunded = book.refund("key-2", ((Charge) charged.resource()).id(), OptionalLong.of(250));
        }

        try (Journal journal = Journal.open(directory)) {
            ChargeBook book = new ChargeBook(journal, Clock.systemUTC());
            assertThat(book.createCharge("key-1", request)).isEqualTo(new ChargeBook.Answer(201, charged.resource(), true));
            assertThat(book.refund("key-2", ((Charge) charged.resource()).id(), OptionalLong.of(250)))
                    .isEqualTo(new ChargeBook.Answer(201, refunded.resource(), true));
            assertThat(book.chargesByReference("pay_journal")).containsExactly((Charge) charged.resource());
        }
        assertThat(Files.readAllLines(directory.resolve(Journal.FILE_NAME))).hasSize(2);
    }

    @Test
    void lineCutShortByACrashIsDroppedAndTheJournalGoesOnAfterIt() throws IOException {
        try (Journal journal = Journal.open(directory)) {
            new ChargeBook(journal, Clock.systemUTC()).createCharge("key-1", new ChargeRequest(1_000, "usd", "tok_visa", "pay_a"));
        }
        Files.writeString(directory.resolve(Journal.FILE_NAME), "{\"type\":\"charge\",\"charge\":{\"id\":\"ch_",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        try (Journal journal = Journal.open(directory)) {
            ChargeBook book = new ChargeBook(journal, Clock.systemUTC());
            book.createCharge("key-2", new ChargeRequest(2_000, "usd", "tok_visa", "pay_b"));
        }

        try (Journal journal = Journal.open(directory)) {
            assertThat(journal.replay()).extracting(entry -> entry.idempotency().key()).containsExactly("key-1", "key-2");
        }
    }

    @Test
    void damagedLineBeforeTheEndStopsTheStart() throws IOException {
        Files.writeString(directory.resolve(Journal.FILE_NAME), "not json\n{}\n", StandardCharsets.UTF_8);

        try (Journal journal = Journal.open(directory)) {
            assertThatThrownBy(journal::replay).isInstanceOf(IllegalStateException.class).hasMessageContaining("line 1");
        }
    }

    @Test
    void secondSandboxCannotOpenTheSameDirectory() throws IOException {
        try (Journal journal = Journal.open(directory)) {
            assertThatThrownBy(() -> Journal.open(directory))
                    .isInstanceOf(RuntimeException.class)
                    .hasMessageContaining("another processor sandbox");
        }
    }
}
