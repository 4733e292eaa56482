package dev.kassa.ledger.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.kassa.ledger.Fixtures;
import dev.kassa.ledger.LedgerBatch;
import dev.kassa.ledger.LedgerRecord;
import dev.kassa.ledger.TestPostgres;
import dev.kassa.model.CreatePayment;
import dev.kassa.model.DeclineCode;
import dev.kassa.model.Ids;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentKind;
import dev.kassa.testing.LedgerSql;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The third line of idempotency on a real Postgres: the sink writes each payment's key in the
 * transaction of its first event, keeps it for the retention after the payment's creation, never
 * moves a kept key to another payment, lets an expired key name a new one, and purges expired keys a
 * bounded number at a time.
 */
@Tag("integration")
class IdempotencyKeysIT {

    private static final String GROUP = "kassa-ledger-sink";
    private static final Duration RETENTION = Duration.ofDays(30);

    private HikariDataSource pool;
    private LedgerSql sql;
    private LedgerWriter writer;
    private final Map<TopicPartition, Long> nextOffsets = new HashMap<>();

    @BeforeEach
    void freshLedger() {
        pool = TestPostgres.migratedDatabase();
        sql = new LedgerSql(pool);
        writer = new LedgerWriter(pool, GROUP, LedgerWriter.CommitHook.NONE, RETENTION);
    }

    @AfterEach
    void closePool() {
        pool.close();
    }

    @Test
    void firstEventWritesTheKeyWithItsFingerprintAndExpiryAndLaterEventsLeaveItAlone() throws SQLException {
        // Plan: write a payment's initiation, then its failure in a later batch, then the same events
        // again at later offsets. One key row must name the payment, with the request's fingerprint
        // and an expiry of exactly the retention after the payment's creation.
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Payment payment = payment("order-1", at);

        write(Fixtures.initiated(payment, at));
        write(Fixtures.failed(payment, DeclineCode.INSUFFICIENT_FUNDS, at));
        write(Fixtures.initiated(payment, at), Fixtures.failed(payment, DeclineCode.INSUFFICIENT_FUNDS, at));

        assertThat(sql.query("SELECT payment_id, request_fingerprint, expires_at - created = interval '30 days'"
                + " FROM idempotency_keys WHERE merchant_id = ? AND idempotency_key = ?", Fixtures.MERCHANT, "order-1"))
                .containsExactly(List.of(payment.id(), payment.requestFingerprint(), "t"));
        assertThat(sql.count("SELECT count(*) FROM idempotency_keys")).isEqualTo(1);
    }

    @Test
    void keptKeyIsNeverMovedToAnotherPaymentButAnExpiredOneNamesTheNewPayment() throws SQLException {
        // Plan: "order-1" was used 31 days ago (expired under a 30-day retention), "order-2" an hour
        // ago (kept). New payments reuse both keys. The expired key must now name its new payment; the
        // kept key must still name its first payment.
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Payment oldPayment = payment("order-1", now.minus(Duration.ofDays(31)));
        Payment recentPayment = payment("order-2", now.minus(Duration.ofHours(1)));
        write(Fixtures.initiated(oldPayment, oldPayment.created()), Fixtures.initiated(recentPayment, recentPayment.created()));

        Payment reusesExpired = payment("order-1", now);
        Payment reusesKept = payment("order-2", now);
        write(Fixtures.initiated(reusesExpired, now), Fixtures.initiated(reusesKept, now));

        assertThat(sql.map("SELECT idempotency_key, payment_id FROM idempotency_keys")).isEqualTo(Map.of(
                "order-1", reusesExpired.id(), "order-2", recentPayment.id()));
    }

    @Test
    void batchWithTwoPaymentsOfOneKeyIsWrittenAndKeepsTheKeyOnItsFirstWhileKept() throws SQLException {
        // Plan: one batch holds two payments with "order-3" a minute apart (a key reused from another
        // source account while Redis and the sink had not got it yet, docs/api.md) and two with
        // "order-4" 31 days apart (a backlog replayed across the key's expiry). The batch must be
        // written (a multi-row upsert that touched one key twice would fail it forever), "order-3"
        // must stay on its first payment and "order-4" name its later one; every payment has its row.
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Payment first = payment("order-3", now.minus(Duration.ofMinutes(1)));
        Payment reuse = payment("order-3", now);
        Payment expired = payment("order-4", now.minus(Duration.ofDays(31)));
        Payment renewed = payment("order-4", now);

        write(Fixtures.initiated(first, first.created()), Fixtures.initiated(expired, expired.created()),
                Fixtures.initiated(reuse, now), Fixtures.initiated(renewed, now));

        assertThat(sql.map("SELECT idempotency_key, payment_id FROM idempotency_keys")).isEqualTo(Map.of(
                "order-3", first.id(), "order-4", renewed.id()));
        assertThat(sql.map("SELECT id, idempotency_key FROM payments")).containsOnlyKeys(
                first.id(), reuse.id(), expired.id(), renewed.id());
    }

    @Test
    void sameKeyOfTwoMerchantsIsTwoKeys() throws SQLException {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Payment ours = payment("order-1", at);
        Payment theirs = Payment.pending(new CreatePayment(Ids.next(Ids.PAYMENT, at), "mer_other", "order-1",
                PaymentKind.PAYMENT, 100, "usd", Fixtures.accountId(at), Fixtures.accountId(at), null, Map.of(), at, "fp"));

        write(Fixtures.initiated(ours, at), Fixtures.initiated(theirs, at));

        assertThat(sql.map("SELECT merchant_id, payment_id FROM idempotency_keys")).isEqualTo(Map.of(
                Fixtures.MERCHANT, ours.id(), "mer_other", theirs.id()));
    }

    @Test
    void purgeDeletesOnlyExpiredKeysAndAtMostItsBound() throws SQLException {
        // Plan: three keys expired long ago, one kept. Purges bounded to two rows must take two calls
        // to delete the three expired ones and must never touch the kept one.
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant longAgo = now.minus(Duration.ofDays(40));
        Payment kept = payment("kept", now);
        write(Fixtures.initiated(payment("old-1", longAgo), longAgo), Fixtures.initiated(payment("old-2", longAgo), longAgo),
                Fixtures.initiated(payment("old-3", longAgo), longAgo), Fixtures.initiated(kept, now));

        assertThat(IdempotencyKeyPurge.purge(pool, 2)).isEqualTo(2);
        assertThat(IdempotencyKeyPurge.purge(pool, 2)).isEqualTo(1);
        assertThat(IdempotencyKeyPurge.purge(pool, 2)).isZero();

        assertThat(sql.map("SELECT idempotency_key, payment_id FROM idempotency_keys")).isEqualTo(Map.of("kept", kept.id()));
        assertThat(sql.count("SELECT count(*) FROM payments")).isEqualTo(4);
        assertThatThrownBy(() -> IdempotencyKeyPurge.purge(pool, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IdempotencyKeyPurge.purge(pool, IdempotencyKeyPurge.ROWS_PER_CALL_MAX + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Payment payment(String key, Instant at) {
        String id = Ids.next(Ids.PAYMENT, at);
        return Payment.pending(new CreatePayment(id, Fixtures.MERCHANT, key, PaymentKind.PAYMENT, 100, "usd",
                Fixtures.accountId(at), Fixtures.accountId(at), null, Map.of(), at, "fp-" + id));
    }

    /** Writes the events as the next batch, at the offsets after the previous batch's. */
    private void write(Object... events) throws SQLException {
        List<LedgerRecord> records = Fixtures.records(nextOffsets, events);
        LedgerBatch batch = LedgerBatch.of(records, writer.storedOffsets(List.of(Fixtures.ACCOUNTS_0, Fixtures.PAYMENTS_0)));
        writer.write(batch);
        nextOffsets.merge(Fixtures.PAYMENTS_0, (long) events.length, Long::sum);
    }
}
