package dev.kassa.bench.drain;

import com.zaxxer.hikari.HikariDataSource;
import dev.kassa.bench.measure.KassaLedgerProbe.Sql;
import dev.kassa.bench.net.Datastores;
import dev.kassa.ledger.postgres.Migrations;
import dev.kassa.ledger.postgres.PostgresSettings;
import dev.kassa.ledger.sink.LedgerSink;
import dev.kassa.ledger.sink.SinkSettings;
import dev.kassa.ledger.verify.InvariantResult;
import dev.kassa.ledger.verify.LedgerVerifier;
import dev.kassa.runtime.EmbeddedPostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger sink draining a backlog. With the gateway idle and its ledger caught up, a second sink —
 * the product's {@link LedgerSink} with its default settings, in a consumer group of its own — replays
 * everything {@code accounts.events} and {@code payments.events} hold into a fresh database on the
 * same Postgres. Timed from the sink's start until its {@code sink_offsets} equal the live sink's;
 * then the replayed ledger must hold exactly what the live one holds (the same accounts and balances,
 * payments and statuses, ledger entries, idempotency keys) and pass {@code kassa ledger verify}. The
 * replaying sink reaches Kafka and Postgres as the gateway's does, behind the same datastore delay.
 */
public final class SinkDrain {

    private static final Logger LOG = LoggerFactory.getLogger(SinkDrain.class);
    /** Sink instances one drain may start. */
    public static final int SINKS_MAX = 8;
    private static final Duration POLL = Duration.ofMillis(20);
    private static final Duration LIVE_SETTLE = Duration.ofSeconds(1);
    private static final String OFFSETS = "SELECT topic || '-' || partition, next_offset FROM sink_offsets"
            + " WHERE consumer_group = ? ORDER BY 1";
    /** What must be equal in both ledgers, each as one comparable value. */
    private static final Map<String, String> FINGERPRINTS = fingerprints();

    private final Datastores datastores;
    private final EmbeddedPostgresServer postgres;
    private final DataSource live;

    /**
     * @param live the gateway's ledger, whose sink is in group {@link SinkSettings#GROUP_ID_DEFAULT}
     */
    public SinkDrain(Datastores datastores, DataSource live) {
        this.datastores = Objects.requireNonNull(datastores, "datastores");
        this.postgres = datastores.runtime().postgres();
        this.live = Objects.requireNonNull(live, "live");
    }

    /**
     * Replays the whole event log with {@code sinks} sink instances in one consumer group (scaling
     * out splits the partitions between them), after appending {@code copies} copies of
     * {@code payments.events} to it ({@link BacklogCopies}) and waiting for the live sink to book them;
     * gives up waiting after {@code timeout}, for the live sink and for the replay each.
     */
    public DrainResult run(Duration timeout, int sinks, int copies) throws InterruptedException, SQLException {
        if (sinks < 1 || sinks > SINKS_MAX) {
            throw new IllegalArgumentException("sinks must be within 1.." + SINKS_MAX + ": " + sinks);
        }
        if (copies < 0 || copies > BacklogCopies.COPIES_MAX) {
            throw new IllegalArgumentException("copies must be within 0.." + BacklogCopies.COPIES_MAX + ": " + copies);
        }
        if (copies > 0) {
            Map<String, Long> published = BacklogCopies.append(datastores.kafkaBootstrap(), copies, timeout);
            awaitLiveSink(published, timeout);
        }
        Map<String, Long> target = settledLiveOffsets(timeout);
        String database = "kassa_drain_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        postgres.createDatabase(database);
        String jdbcUrl = datastores.jdbcUrl(database);
        try {
            // Each sink holds a connection per writer while it writes and one for its chores; one more
            // for the progress queries.
            PostgresSettings settings = new PostgresSettings(jdbcUrl, postgres.user(), postgres.password(),
                    Math.max(PostgresSettings.POOL_SIZE_DEFAULT, sinks * (SinkSettings.WRITERS_DEFAULT + 1) + 1),
                    PostgresSettings.CONNECTION_TIMEOUT_DEFAULT,
                    PostgresSettings.STATEMENT_TIMEOUT_DEFAULT);
            return replayInto(settings, target, timeout, sinks);
        } finally {
            postgres.dropDatabase(database);
        }
    }

    private DrainResult replayInto(PostgresSettings settings, Map<String, Long> target, Duration timeout, int sinks)
            throws InterruptedException, SQLException {
        try (HikariDataSource pool = settings.openPool()) {
            Migrations.apply(pool);
            String group = "kassa-bench-drain-" + UUID.randomUUID();
            long start = System.nanoTime();
            long deadline = start + timeout.toNanos();
            long firstBatch = -1;
            long end;
            Map<String, Long> reached;
            List<LedgerSink> running = new ArrayList<>();
            try {
                for (int i = 0; i < sinks; i++) {
                    LedgerSink sink = new LedgerSink(SinkSettings.builder().bootstrapServers(datastores.kafkaBootstrap())
                            .groupId(group).clientId(group + "-" + i).build(), pool);
                    running.add(sink);
                    new Thread(sink, "bench-drain-sink-" + i).start();
                }
                reached = offsets(pool, group);
                while (!reached.equals(target) && System.nanoTime() < deadline) {
                    Thread.sleep(POLL.toMillis());
                    reached = offsets(pool, group);
                    if (firstBatch < 0 && !reached.isEmpty()) {
                        firstBatch = System.nanoTime();
                    }
                }
                // Timed to the offsets seen, not to the sinks' close (leaving the group) below.
                end = System.nanoTime();
            } finally {
                running.forEach(LedgerSink::close);
            }
            double seconds = (end - start) / 1e9;
            boolean caughtUp = reached.equals(target);
            if (!caughtUp) {
                LOG.warn("the drain sink did not reach the live sink's offsets within {}: {} of {}", timeout, reached,
                        target);
            }
            Map<String, String> replayed = fingerprint(pool);
            Map<String, String> original = fingerprint(live);
            List<String> differences = new ArrayList<>();
            original.forEach((what, value) -> {
                if (!value.equals(replayed.get(what))) {
                    differences.add(what + ": live " + value + ", replayed " + replayed.get(what));
                }
            });
            List<InvariantResult> verified = new LedgerVerifier(pool, Duration.ZERO, LedgerVerifier.SAMPLES_DEFAULT)
                    .verify();
            long entries = count(pool, "SELECT count(*) FROM ledger_entries");
            long events = count(pool, "SELECT count(*) FROM applied_events");
            return new DrainResult(sinks, events, entries, seconds,
                    firstBatch < 0 ? -1 : (firstBatch - start) / 1e9, caughtUp, differences, verified);
        }
    }

    /**
     * The live sink's offsets, once they stop moving: the ledger it writes is the one the replay
     * must reproduce.
     */
    private Map<String, Long> settledLiveOffsets(Duration timeout) throws InterruptedException, SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Long> before = offsets(live, SinkSettings.GROUP_ID_DEFAULT);
        while (true) {
            Thread.sleep(LIVE_SETTLE.toMillis());
            Map<String, Long> now = offsets(live, SinkSettings.GROUP_ID_DEFAULT);
            if (now.equals(before) || System.nanoTime() > deadline) {
                return now;
            }
            before = now;
        }
    }

    /** Waits until the live sink has booked every partition up to {@code endOffsets}. */
    private void awaitLiveSink(Map<String, Long> endOffsets, Duration timeout) throws InterruptedException, SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        LOG.info("waiting for the live sink to book the copies, up to {}", endOffsets);
        while (System.nanoTime() < deadline) {
            Map<String, Long> booked = offsets(live, SinkSettings.GROUP_ID_DEFAULT);
            if (endOffsets.entrySet().stream().allMatch(end -> booked.getOrDefault(end.getKey(), 0L) >= end.getValue())) {
                return;
            }
            Thread.sleep(LIVE_SETTLE.toMillis());
        }
        LOG.warn("the live sink did not book the copies within {}", timeout);
    }

    private static Map<String, Long> offsets(DataSource dataSource, String group) throws SQLException {
        Map<String, Long> offsets = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(OFFSETS)) {
            statement.setString(1, group);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    offsets.put(rows.getString(1), rows.getLong(2));
                }
            } finally {
                Sql.endReadOnly(connection);
            }
        }
        return offsets;
    }

    private static Map<String, String> fingerprint(DataSource dataSource) throws SQLException {
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> query : FINGERPRINTS.entrySet()) {
            values.put(query.getKey(), String.valueOf(Sql.text(dataSource, query.getValue())));
        }
        return values;
    }

    private static long count(DataSource dataSource, String sql) throws SQLException {
        return Long.parseLong(Sql.text(dataSource, sql));
    }

    private static Map<String, String> fingerprints() {
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("accounts and balances", "SELECT count(*) || ' rows, md5 ' || md5(string_agg(id || ':' || balance,"
                + " ',' ORDER BY id)) FROM accounts");
        queries.put("payments and statuses", "SELECT count(*) || ' rows, md5 ' || md5(string_agg(id || ':' || status"
                + " || ':' || amount, ',' ORDER BY id)) FROM payments");
        queries.put("ledger entries", "SELECT count(*) || ' rows, md5 ' || md5(string_agg(transaction_id || ':'"
                + " || entry_index || ':' || account_id || ':' || amount, ',' ORDER BY transaction_id, entry_index))"
                + " FROM ledger_entries");
        queries.put("idempotency keys", "SELECT count(*) || ' rows, md5 ' || md5(string_agg(merchant_id || ':'"
                + " || idempotency_key || ':' || payment_id, ',' ORDER BY merchant_id, idempotency_key))"
                + " FROM idempotency_keys");
        return Collections.unmodifiableMap(queries);
    }
}
