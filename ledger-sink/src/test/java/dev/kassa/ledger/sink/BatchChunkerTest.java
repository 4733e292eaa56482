package dev.kassa.ledger.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kassa.ledger.DeadLetterRecord;
import dev.kassa.ledger.Fixtures;
import dev.kassa.ledger.LedgerRecord;
import dev.kassa.ledger.PaymentEventRecord;
import dev.kassa.model.PaymentKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchChunkerTest {

    @Test
    void everyChunkStaysWithinTheRowBoundAndOrderIsKept() {
        List<LedgerRecord> records = new ArrayList<>();
        IntStream.range(0, 250).forEach(i -> records.add(new DeadLetterRecord(
                i % 2 == 0 ? Fixtures.PAYMENTS_0 : Fixtures.PAYMENTS_1, i, "bad", null, null)));

        List<List<LedgerRecord>> chunks = BatchChunker.chunks(records, 100);

        // 1 row per dead letter plus 1 offset row per partition: 98 records fit in 100 rows.
        assertThat(chunks).allSatisfy(chunk ->
                assertThat(chunk.stream().mapToInt(LedgerRecord::rowsMax).sum() + 2).isLessThanOrEqualTo(100));
        assertThat(chunks.stream().flatMap(List::stream).toList()).containsExactlyElementsOf(records);
        assertThat(chunks).hasSize(3);
    }

    @Test
    void recordLargerThanTheBoundGetsAChunkOfItsOwn() {
        Instant at = Instant.parse("2026-03-01T12:00:00Z");
        PaymentEventRecord big = new PaymentEventRecord(Fixtures.PAYMENTS_0, 1, Fixtures.completed(
                Fixtures.pending(PaymentKind.PAYMENT, 5, "usd", Fixtures.accountId(at), Fixtures.accountId(at), at), at));
        DeadLetterRecord small = new DeadLetterRecord(Fixtures.PAYMENTS_0, 0, "bad", null, null);

        List<List<LedgerRecord>> chunks = BatchChunker.chunks(List.of(small, big, small), 5);

        assertThat(chunks).containsExactly(List.of(small), List.of(big), List.of(small));
    }
}
