package dev.kassa.ledger.postgres;

import static dev.kassa.ledger.Fixtures.PAYMENTS_0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.kassa.ledger.DeadLetterRecord;
import dev.kassa.ledger.Fixtures;
import dev.kassa.ledger.LedgerBatch;
import dev.kassa.ledger.LedgerRecord;
import dev.kassa.ledger.TestPostgres;
import dev.kassa.testing.LedgerSql;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
class DeadLetterOutboxIT {

    private HikariDataSource pool;
    private LedgerSql sql;
    private List<DeadLetterRecord> written;

    @BeforeEach
    void threeDeadLettersWritten() throws SQLException {
        pool = TestPostgres.migratedDatabase();
        sql = new LedgerSql(pool);
        written = IntStream.range(0, 3).mapToObj(offset -> new DeadLetterRecord(PAYMENTS_0, offset,
                "cannot read PaymentEvent " + offset, ("k" + offset).getBytes(StandardCharsets.UTF_8),
                new byte[] {'{', (byte) offset})).toList();
        new LedgerWriter(pool, "kassa-ledger-sink")
                .write(LedgerBatch.of(List.<LedgerRecord>copyOf(written), Fixtures.nothingStored()));
    }

    @AfterEach
    void closePool() {
        pool.close();
    }

    @Test
    void onlyAcknowledgedRowsAreMarkedAndTheRestAreOfferedAgain() throws SQLException {
        // Plan: the publisher acknowledges the first two rows it is offered and loses the third. Only
        // the two may be marked published; the next relay must offer exactly the third, unchanged.
        DeadLetterOutbox.Relayed first = DeadLetterOutbox.relay(pool, 10, rows -> rows.subList(0, 2));

        assertThat(first).isEqualTo(new DeadLetterOutbox.Relayed(3, 2));
        assertThat(first.leftRows(10)).isTrue();
        assertThat(sql.count("SELECT count(*) FROM dead_letters WHERE published_at IS NULL")).isEqualTo(1);
        List<DeadLetterRecord> offered = new ArrayList<>();
        DeadLetterOutbox.Relayed second = DeadLetterOutbox.relay(pool, 10, rows -> {
            offered.addAll(rows);
            return rows;
        });
        assertThat(offered).containsExactly(written.get(2));
        assertThat(second.leftRows(10)).isFalse();
        assertThat(DeadLetterOutbox.relay(pool, 10, rows -> rows)).isEqualTo(new DeadLetterOutbox.Relayed(0, 0));
    }

    @Test
    void aPublisherThatFailsMarksNothing() {
        assertThatThrownBy(() -> DeadLetterOutbox.relay(pool, 10, rows -> {
            throw new IllegalStateException("broker away");
        })).hasMessageContaining("broker away");

        assertThat(sql.count("SELECT count(*) FROM dead_letters WHERE published_at IS NULL")).isEqualTo(3);
    }

    @Test
    void oneCallPublishesAtMostItsLimitOldestFirst() throws SQLException {
        List<DeadLetterRecord> offered = new ArrayList<>();
        DeadLetterOutbox.Relayed relayed = DeadLetterOutbox.relay(pool, 2, rows -> {
            offered.addAll(rows);
            return rows;
        });

        assertThat(relayed.leftRows(2)).isTrue();
        assertThat(offered).containsExactly(written.get(0), written.get(1));
        assertThatThrownBy(() -> DeadLetterOutbox.relay(pool, DeadLetterOutbox.ROWS_PER_CALL_MAX + 1, rows -> rows))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
