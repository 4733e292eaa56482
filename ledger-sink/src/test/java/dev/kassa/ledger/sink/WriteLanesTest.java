package dev.kassa.ledger.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kassa.ledger.DeadLetterRecord;
import dev.kassa.ledger.Fixtures;
import dev.kassa.ledger.LedgerRecord;
import dev.kassa.model.Topics;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** How a poll's records are dealt to lanes written side by side (docs/architecture.md, "ledger-sink"). */
class WriteLanesTest {

    private static final TopicPartition PAYMENTS_2 = new TopicPartition(Topics.PAYMENTS_EVENTS.name(), 2);

    @Test
    void eachPartitionGoesWholeToOneLaneInItsOrderAndPartitionsAreDealtInTurn() {
        LedgerRecord p0a = record(Fixtures.PAYMENTS_0, 10);
        LedgerRecord p1a = record(Fixtures.PAYMENTS_1, 20);
        LedgerRecord p0b = record(Fixtures.PAYMENTS_0, 11);
        LedgerRecord p2a = record(PAYMENTS_2, 30);
        LedgerRecord p1b = record(Fixtures.PAYMENTS_1, 21);
        LedgerRecord p2b = record(PAYMENTS_2, 31);

        List<List<LedgerRecord>> lanes = WriteLanes.of(List.of(p0a, p1a, p0b, p2a, p1b, p2b), 2);

        assertThat(lanes).containsExactly(List.of(p0a, p0b, p2a, p2b), List.of(p1a, p1b));
        assertThat(WriteLanes.of(List.of(p0a, p1a, p0b, p2a, p1b, p2b), 3))
                .containsExactly(List.of(p0a, p0b), List.of(p1a, p1b), List.of(p2a, p2b));
    }

    @Test
    void onePartitionOrOneWriterMakesOneLane() {
        List<LedgerRecord> onePartition = List.of(record(Fixtures.PAYMENTS_0, 1), record(Fixtures.PAYMENTS_0, 2));
        List<LedgerRecord> two = List.of(record(Fixtures.PAYMENTS_0, 1), record(Fixtures.PAYMENTS_1, 1));

        assertThat(WriteLanes.of(onePartition, 2)).containsExactly(onePartition);
        assertThat(WriteLanes.of(two, 1)).containsExactly(two);
    }

    @Test
    void aPollWithAccountEventsStaysOneLaneSoTheAccountsAreWrittenFirst() {
        List<LedgerRecord> records = List.of(record(Fixtures.ACCOUNTS_0, 0), record(Fixtures.PAYMENTS_0, 5),
                record(Fixtures.PAYMENTS_1, 7));

        assertThat(WriteLanes.of(records, 2)).containsExactly(records);
    }

    @Test
    void noWriterIsRefused() {
        assertThatThrownBy(() -> WriteLanes.of(List.of(), 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("writers");
    }

    private static LedgerRecord record(TopicPartition partition, long offset) {
        return new DeadLetterRecord(partition, offset, "stand-in", null, null);
    }
}
