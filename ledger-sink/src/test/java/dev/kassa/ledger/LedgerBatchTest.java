package dev.kassa.ledger;

import static dev.kassa.ledger.Fixtures.ACCOUNTS_0;
import static dev.kassa.ledger.Fixtures.PAYMENTS_0;
import static dev.kassa.ledger.Fixtures.PAYMENTS_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kassa.model.Topics;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class LedgerBatchTest {

    private static final Instant AT = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void batchAdvancesEachPartitionPastItsLastRecordFromTheStoredOffset() {
        String account = Fixtures.accountId(AT);
        List<LedgerRecord> records = List.of(
                new AccountEventRecord(ACCOUNTS_0, 7, Fixtures.accountOpened(account, "usd", AT)),
                new DeadLetterRecord(PAYMENTS_1, 3, "garbage", null, new byte[] {1}),
                new DeadLetterRecord(PAYMENTS_1, 5, "garbage", null, new byte[] {2}));

        LedgerBatch batch = LedgerBatch.of(records, Map.of(ACCOUNTS_0, OptionalLong.of(7), PAYMENTS_1, OptionalLong.empty()));

        assertThat(batch.offsets()).containsExactly(
                new OffsetAdvance(ACCOUNTS_0, OptionalLong.of(7), 8),
                new OffsetAdvance(PAYMENTS_1, OptionalLong.empty(), 6));
    }

    @Test
    void recordBeforeTheStoredOffsetIsRejected() {
        List<LedgerRecord> records = List.of(new DeadLetterRecord(PAYMENTS_0, 4, "garbage", null, null));

        assertThatThrownBy(() -> LedgerBatch.of(records, Map.of(PAYMENTS_0, OptionalLong.of(5))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("before offset 5");
    }

    @Test
    void recordOfAPartitionNotSoughtFromPostgresIsRejected() {
        List<LedgerRecord> records = List.of(new DeadLetterRecord(PAYMENTS_0, 0, "garbage", null, null));

        assertThatThrownBy(() -> LedgerBatch.of(records, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seek from Postgres");
    }

    @Test
    void offsetsMustIncreaseWithinAPartition() {
        List<LedgerRecord> records = List.of(new DeadLetterRecord(PAYMENTS_0, 4, "a", null, null),
                new DeadLetterRecord(PAYMENTS_0, 4, "b", null, null));

        assertThatThrownBy(() -> LedgerBatch.of(records, Map.of(PAYMENTS_0, OptionalLong.empty())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyTopicKeepsThatTopicsRecordsAndAdvances() {
        String account = Fixtures.accountId(AT);
        List<LedgerRecord> records = List.of(
                new AccountEventRecord(ACCOUNTS_0, 0, Fixtures.accountOpened(account, "usd", AT)),
                new DeadLetterRecord(PAYMENTS_0, 0, "garbage", null, null));

        LedgerBatch accounts = LedgerBatch.of(records, Fixtures.nothingStored()).onlyTopic(Topics.ACCOUNTS_EVENTS.name());

        assertThat(accounts.records()).hasSize(1).allMatch(r -> r.partition().equals(ACCOUNTS_0));
        assertThat(accounts.offsets()).extracting(OffsetAdvance::partition).containsExactly(ACCOUNTS_0);
    }

    @Test
    void deadLetterReasonIsBounded() {
        DeadLetterRecord record = new DeadLetterRecord(PAYMENTS_0, 0, "x".repeat(5000), null, null);

        assertThat(record.reason()).hasSize(DeadLetterRecord.REASON_LENGTH_MAX);
    }
}
