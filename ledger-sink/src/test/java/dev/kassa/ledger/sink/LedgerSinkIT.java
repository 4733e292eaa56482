package dev.kassa.ledger.sink;

import static dev.kassa.ledger.Fixtures.ACCOUNTS_0;
import static dev.kassa.ledger.Fixtures.PAYMENTS_0;
import static dev.kassa.ledger.Fixtures.PAYMENTS_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.kassa.ledger.AccountEventRecord;
import dev.kassa.ledger.DeadLetterRecord;
import dev.kassa.ledger.Fixtures;
import dev.kassa.ledger.LedgerBatch;
import dev.kassa.ledger.LedgerRecord;
import dev.kassa.ledger.LedgerScenario;
import dev.kassa.ledger.PaymentEventRecord;
import dev.kassa.ledger.Sql;
import dev.kassa.ledger.TestPostgres;
import dev.kassa.ledger.postgres.LedgerWriter;
import dev.kassa.model.Topics;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The sink's loop against a real Postgres and Kafka's {@code MockConsumer}: seeking from Postgres,
 * dead letters, rollback and re-seek after a failure, a Postgres outage, and a bounded close. The
 * same guarantees on a real broker are the app module's end-to-end tests.
 */
@Tag("integration")
class LedgerSinkIT {

    private static final String GROUP = "kassa-ledger-sink";
    private static final List<TopicPartition> PARTITIONS = List.of(ACCOUNTS_0, PAYMENTS_0, PAYMENTS_1);

    private final LedgerScenario scenario = new LedgerScenario();
    private final SinkSettings settings = SinkSettings.defaults("127.0.0.1:1")
            .withRetryBackoff(Duration.ofMillis(10), Duration.ofMillis(50))
            .withUnhealthyAfterFailures(3);
    private HikariDataSource pool;
    private Sql sql;
    private MockConsumer<byte[], byte[]> consumer;

    @BeforeEach
    void freshLedgerAndConsumer() {
        pool = TestPostgres.migratedDatabase();
        sql = new Sql(pool);
        consumer = new MockConsumer<>("earliest");
        consumer.updateBeginningOffsets(Map.of(ACCOUNTS_0, 0L, PAYMENTS_0, 0L, PAYMENTS_1, 0L));
    }

    @AfterEach
    void closePool() {
        pool.close();
    }

    @Test
    void assignmentSeeksEveryPartitionToTheOffsetStoredInPostgres() throws SQLException {
        // Plan: Postgres already holds offset 3 for payments-0 (and Kafka knows nothing). On
        // assignment the sink must start payments-0 at 3 and the partitions without a row at their
        // beginning, whatever Kafka's own committed offsets say.
        new LedgerWriter(pool, GROUP).write(LedgerBatch.of(List.of(deadLetter(PAYMENTS_0, 0), deadLetter(PAYMENTS_0, 1),
                deadLetter(PAYMENTS_0, 2)), Fixtures.nothingStored()));
        LedgerSink sink = sink(pool, new LedgerWriter(pool, GROUP));

        sink.subscribe();
        consumer.rebalance(PARTITIONS);

        assertThat(consumer.position(PAYMENTS_0)).isEqualTo(3);
        assertThat(consumer.position(ACCOUNTS_0)).isZero();
        assertThat(consumer.position(PAYMENTS_1)).isZero();
        assertThat(consumer.paused()).isEmpty();
    }

    @Test
    void polledEventsAndUnreadableRecordsCommitWithTheirOffsets() {
        LedgerSink sink = sink(pool, new LedgerWriter(pool, GROUP));
        sink.subscribe();
        consumer.rebalance(PARTITIONS);
        scenario.records().forEach(record -> consumer.addRecord(toKafka(record)));
        consumer.addRecord(new ConsumerRecord<>(PAYMENTS_0.topic(), 0, 6, null, "not json".getBytes(StandardCharsets.UTF_8)));

        sink.step();

        assertThat(sql.map("SELECT id, balance FROM accounts")).isEqualTo(scenario.expectedBalances());
        assertThat(sql.query("SELECT topic, record_offset, encode(raw_value, 'escape') FROM dead_letters"))
                .containsExactly(List.of("payments.events", "6", "not json"));
        assertThat(storedOffsets()).isEqualTo(Map.of("accounts.events/0", "2", "payments.events/0", "7"));
        assertThat(consumer.committed(Set.of(PAYMENTS_0)).get(PAYMENTS_0).offset()).isEqualTo(7);
        assertThat(sink.isReady()).isTrue();
        assertThat(sink.isHealthy()).isTrue();
    }

    @Test
    void failedBatchIsRolledBackAndReadAgainFromThePostgresOffsets() {
        // Plan: the first write fails just before commit (as if the process died there). Nothing may
        // be visible; the sink must pause, seek back to Postgres' offsets and, when the broker
        // delivers the records again, book them exactly once.
        AtomicInteger commits = new AtomicInteger();
        LedgerWriter failingOnce = new LedgerWriter(pool, GROUP, batch -> {
            if (commits.incrementAndGet() == 1) {
                throw new SQLException("injected failure before commit");
            }
        });
        LedgerSink sink = sink(pool, failingOnce);
        sink.subscribe();
        consumer.rebalance(PARTITIONS);
        scenario.records().forEach(record -> consumer.addRecord(toKafka(record)));

        sink.step();

        assertThat(sql.count("SELECT count(*) FROM ledger_entries")).isZero();
        assertThat(consumer.paused()).containsExactlyInAnyOrderElementsOf(PARTITIONS);
        assertThat(sink.isReady()).isFalse();
        assertThat(sink.isHealthy()).isTrue();

        scenario.records().forEach(record -> consumer.addRecord(toKafka(record))); // the broker delivers again
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            sink.step();
            return sink.isReady();
        });

        assertThat(sql.count("SELECT count(*) FROM ledger_entries")).isEqualTo(4);
        assertThat(sql.map("SELECT id, balance FROM accounts")).isEqualTo(scenario.expectedBalances());
        assertThat(storedOffsets()).isEqualTo(Map.of("accounts.events/0", "2", "payments.events/0", "6"));
    }

    @Test
    void postgresOutageKeepsPartitionsPausedAndTheSinkRecoversWhenItReturns() {
        // Plan: Postgres is away before the first assignment. The sink cannot know where to start,
        // so it must read nothing (partitions paused), keep polling, and report itself unhealthy
        // after the configured failures; once Postgres is back it seeks and books everything once.
        SwitchableDataSource database = new SwitchableDataSource(pool);
        database.down(true);
        LedgerSink sink = sink(database, new LedgerWriter(database, GROUP));
        sink.subscribe();
        consumer.rebalance(PARTITIONS);
        scenario.records().forEach(record -> consumer.addRecord(toKafka(record)));

        await().atMost(Duration.ofSeconds(10)).until(() -> {
            sink.step();
            return !sink.isHealthy();
        });
        assertThat(consumer.paused()).containsExactlyInAnyOrderElementsOf(PARTITIONS);
        assertThat(sql.count("SELECT count(*) FROM applied_events")).isZero();

        database.down(false);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            sink.step();
            return sink.isReady();
        });

        assertThat(sink.isHealthy()).isTrue();
        assertThat(sql.map("SELECT id, balance FROM accounts")).isEqualTo(scenario.expectedBalances());
    }

    @Test
    void paymentAheadOfItsAccountsWaitsForThemWithoutSkippingAnything() {
        // Plan: the payments partition is read before the accounts partition has delivered the
        // AccountOpened events its entries need. The batch must fail whole and be retried; the
        // accounts' own events commit as soon as they arrive, and then the payments follow.
        LedgerSink sink = sink(pool, new LedgerWriter(pool, GROUP));
        sink.subscribe();
        consumer.rebalance(PARTITIONS);
        List<LedgerRecord> records = scenario.records();
        records.stream().filter(PaymentEventRecord.class::isInstance).forEach(r -> consumer.addRecord(toKafka(r)));

        sink.step();
        assertThat(sql.count("SELECT count(*) FROM payments")).isZero();

        records.forEach(record -> consumer.addRecord(toKafka(record)));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            sink.step();
            return sql.count("SELECT count(*) FROM ledger_entries") == 4;
        });
        assertThat(sql.map("SELECT id, balance FROM accounts")).isEqualTo(scenario.expectedBalances());
    }

    @Test
    void closeStopsTheRunningLoopWithinItsBound() throws InterruptedException {
        LedgerSink sink = sink(pool, new LedgerWriter(pool, GROUP));
        consumer.schedulePollTask(() -> consumer.rebalance(PARTITIONS));
        Thread loop = new Thread(sink, "ledger-sink-test");
        loop.start();
        await().atMost(Duration.ofSeconds(10)).until(sink::isReady);

        long started = System.nanoTime();
        sink.close();

        loop.join(settings.closeTimeout().toMillis());
        assertThat(loop.isAlive()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(settings.closeTimeout());
        assertThat(consumer.closed()).isTrue();
        assertThat(sink.isReady()).isFalse();
    }

    private LedgerSink sink(DataSource dataSource, LedgerWriter writer) {
        return new LedgerSink(settings, dataSource, consumer, writer);
    }

    private Map<String, String> storedOffsets() {
        return sql.map("SELECT topic || '/' || partition, next_offset FROM sink_offsets WHERE consumer_group = ?", GROUP);
    }

    private static DeadLetterRecord deadLetter(TopicPartition partition, long offset) {
        return new DeadLetterRecord(partition, offset, "unreadable", null, new byte[] {0});
    }

    private static ConsumerRecord<byte[], byte[]> toKafka(LedgerRecord record) {
        byte[] value;
        if (record instanceof PaymentEventRecord payment) {
            value = Topics.PAYMENTS_EVENTS.valueSerde().serializer().serialize("", payment.event());
        } else if (record instanceof AccountEventRecord account) {
            value = Topics.ACCOUNTS_EVENTS.valueSerde().serializer().serialize("", account.event());
        } else {
            throw new IllegalArgumentException("not an event record: " + record);
        }
        return new ConsumerRecord<>(record.partition().topic(), record.partition().partition(), record.offset(),
                null, value);
    }
}
