package dev.kassa.ledger.postgres;

import dev.kassa.ledger.DeadLetterRecord;
import dev.kassa.ledger.postgres.LedgerRows.AccountRow;
import dev.kassa.ledger.postgres.LedgerRows.EntryRow;
import dev.kassa.ledger.postgres.LedgerRows.KeyRow;
import dev.kassa.ledger.postgres.LedgerRows.PaymentRow;
import dev.kassa.ledger.postgres.LedgerRows.RefundRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.stream.Collectors;

/**
 * The statements that write one batch's rows, set-based, never a round trip per row. Accounts,
 * keys and refunds are upserted as one statement each, their rows bound column by column as
 * arrays and expanded by {@code unnest} (measured here: about 40% less time than the driver's
 * rewritten multi-row inserts), because they need {@code ON CONFLICT}. Ledger entries, which are only
 * appended, go by {@code COPY} ({@link CopyRows}), faster again; so do the payments that have no row
 * yet, after one statement asks which have one, while those that do go through the upsert. Balances
 * change by one statement, one row per account. Dead letters go as one JDBC batch, because their
 * columns are binary.
 * docs/architecture.md, "ledger-sink", has the measurements.
 */
final class LedgerStatements {

    private static final String INSERT_ACCOUNTS = "INSERT INTO accounts (id, merchant_id, currency, allow_negative, created)"
            + " SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::boolean[], ?::text[]::timestamptz[])"
            + " ON CONFLICT (id) DO NOTHING";

    private static final List<String> PAYMENT_COLUMNS = List.of("id", "created_on", "merchant_id",
            "idempotency_key", "kind", "status", "amount", "currency", "source", "destination", "amount_refunded",
            "description", "metadata", "fraud", "failure_code", "created", "updated", "last_event_sequence");

    // The primary key of each row of the batch that is already in the table. The lateral subquery makes
    // it one probe of the primary key per row, pruned at execution to the row's day, whatever the
    // planner guesses of the array's length.
    private static final String EXISTING_PAYMENTS = "SELECT k.id, k.created_on::text"
            + " FROM unnest(?::text[], ?::text[]::date[]) AS k(id, created_on)"
            + " CROSS JOIN LATERAL (SELECT 1 FROM payments p WHERE p.id = k.id AND p.created_on = k.created_on"
            + " LIMIT 1) found";

    // An older event never overwrites the state of a newer one: the sequence guards the update. Only
    // rows found in the table come here, but the statement stays an upsert, so that it is right alone.
    private static final String UPSERT_PAYMENT = "INSERT INTO payments (id, created_on, merchant_id, idempotency_key,"
            + " kind, status, amount, currency, source, destination, amount_refunded, description, metadata, fraud,"
            + " failure_code, created, updated, last_event_sequence)"
            + " SELECT * FROM unnest(?::text[], ?::text[]::date[], ?::text[], ?::text[], ?::text[], ?::text[],"
            + " ?::bigint[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[]::jsonb[],"
            + " ?::text[]::jsonb[], ?::text[], ?::text[]::timestamptz[], ?::text[]::timestamptz[], ?::bigint[])"
            + " ON CONFLICT (id, created_on) DO UPDATE SET status = EXCLUDED.status,"
            + " amount_refunded = EXCLUDED.amount_refunded, fraud = EXCLUDED.fraud,"
            + " failure_code = EXCLUDED.failure_code, updated = EXCLUDED.updated,"
            + " last_event_sequence = EXCLUDED.last_event_sequence"
            + " WHERE payments.last_event_sequence < EXCLUDED.last_event_sequence";

    // A key whose row has expired names the new payment; a key still kept is never moved to another
    // payment (the API refuses to publish for it, so only a race past all three lines could try).
    private static final String UPSERT_KEYS = "INSERT INTO idempotency_keys (merchant_id, idempotency_key, payment_id,"
            + " request_fingerprint, created, expires_at)"
            + " SELECT k.merchant_id, k.idempotency_key, k.payment_id, k.request_fingerprint, k.created, k.created + ?::interval"
            + " FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[]::timestamptz[])"
            + " AS k(merchant_id, idempotency_key, payment_id, request_fingerprint, created)"
            + " ON CONFLICT (merchant_id, idempotency_key) DO UPDATE SET payment_id = EXCLUDED.payment_id,"
            + " request_fingerprint = EXCLUDED.request_fingerprint, created = EXCLUDED.created,"
            + " expires_at = EXCLUDED.expires_at"
            + " WHERE idempotency_keys.expires_at <= EXCLUDED.created";

    // Like payments: the event sequence guards the update, so an older event never overwrites a newer state.
    private static final String UPSERT_REFUNDS = "INSERT INTO refunds (id, payment_id, merchant_id, idempotency_key,"
            + " request_fingerprint, amount, currency, status, failure_code, created, updated, last_event_sequence)"
            + " SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[],"
            + " ?::text[], ?::text[], ?::text[]::timestamptz[], ?::text[]::timestamptz[], ?::bigint[])"
            + " ON CONFLICT (id) DO UPDATE SET amount = EXCLUDED.amount, status = EXCLUDED.status,"
            + " failure_code = EXCLUDED.failure_code, updated = EXCLUDED.updated,"
            + " last_event_sequence = EXCLUDED.last_event_sequence"
            + " WHERE refunds.last_event_sequence < EXCLUDED.last_event_sequence";

    private static final List<String> ENTRY_COLUMNS = List.of("transaction_id", "entry_index", "booked_on",
            "payment_id", "account_id", "amount", "currency", "booked_at");

    // One update per account per batch, by the sum of its entries, as one statement. The rows are
    // locked first in account-id order (ORDER BY is applied before FOR UPDATE), so that concurrent
    // sink instances lock a hot account and its neighbours in one order and cannot deadlock; the
    // update then finds them locked by itself. Accounts without a row are those not returned.
    private static final String ADD_TO_BALANCES = "WITH delta AS (SELECT * FROM unnest(?::text[], ?::bigint[])"
            + " AS d(id, amount)),"
            + " locked AS MATERIALIZED (SELECT a.id FROM accounts a WHERE a.id IN (SELECT id FROM delta)"
            + " ORDER BY a.id FOR UPDATE)"
            + " UPDATE accounts SET balance = accounts.balance + delta.amount FROM delta JOIN locked USING (id)"
            + " WHERE accounts.id = delta.id RETURNING accounts.id";

    private static final String INSERT_DEAD_LETTER = "INSERT INTO dead_letters"
            + " (topic, partition, record_offset, reason, raw_key, raw_value) VALUES (?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (topic, partition, record_offset) DO NOTHING";

    private LedgerStatements() {
    }

    static void insertAccounts(Connection connection, List<AccountRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(INSERT_ACCOUNTS)) {
            Columns columns = new Columns(connection, statement);
            columns.text(rows, AccountRow::id);
            columns.text(rows, AccountRow::merchantId);
            columns.text(rows, AccountRow::currency);
            columns.booleans(rows, AccountRow::allowNegative);
            columns.text(rows, row -> row.created().toString());
            statement.executeUpdate();
        }
    }

    /**
     * Writes one row per payment: those without a row yet by {@code COPY}, the others by the upsert
     * under the sequence guard. Which rows exist is asked first, in one statement: a batch is mostly
     * new payments, which {@code COPY} inserts without the upsert's speculative insertion and array
     * parsing, but {@code COPY} has no {@code ON CONFLICT}. Only the sink instance holding a payment's
     * partition of {@code payments.events} writes its row (the offsets fence serializes instances),
     * so no row appears between the question and the {@code COPY}; if one ever did, the primary key
     * would refuse it, the batch would roll back whole, and its retry would ask again.
     */
    static void upsertPayments(Connection connection, List<PaymentRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        Set<String> existing = existingPayments(connection, rows);
        Map<Boolean, List<PaymentRow>> byPresence = rows.stream()
                .collect(Collectors.partitioningBy(row -> existing.contains(paymentKey(row))));
        insertPayments(connection, byPresence.get(false));
        updatePayments(connection, byPresence.get(true));
    }

    /** The keys ({@link #paymentKey}) of those of {@code rows} whose payment has a row already. */
    private static Set<String> existingPayments(Connection connection, List<PaymentRow> rows) throws SQLException {
        Set<String> existing = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(EXISTING_PAYMENTS)) {
            Columns columns = new Columns(connection, statement);
            columns.text(rows, PaymentRow::id);
            columns.text(rows, row -> row.createdOn().toString());
            try (ResultSet found = statement.executeQuery()) {
                while (found.next()) {
                    existing.add(found.getString(1) + "/" + found.getString(2));
                }
            }
        }
        return existing;
    }

    private static String paymentKey(PaymentRow row) {
        return row.id() + "/" + row.createdOn();
    }

    private static void insertPayments(Connection connection, List<PaymentRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        CopyRows.copy(connection, "payments", PAYMENT_COLUMNS, rows, row -> Arrays.asList(row.id(),
                row.createdOn().toString(), row.merchantId(), row.idempotencyKey(), row.kind(), row.status(),
                Long.toString(row.amount()), row.currency(), row.source(), row.destination(),
                Long.toString(row.amountRefunded()), row.description(), row.metadataJson(), row.fraudJson(),
                row.failureCode(), row.created().toString(), row.updated().toString(),
                Long.toString(row.lastEventSequence())));
    }

    private static void updatePayments(Connection connection, List<PaymentRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(UPSERT_PAYMENT)) {
            Columns columns = new Columns(connection, statement);
            columns.text(rows, PaymentRow::id);
            columns.text(rows, row -> row.createdOn().toString());
            columns.text(rows, PaymentRow::merchantId);
            columns.text(rows, PaymentRow::idempotencyKey);
            columns.text(rows, PaymentRow::kind);
            columns.text(rows, PaymentRow::status);
            columns.longs(rows, PaymentRow::amount);
            columns.text(rows, PaymentRow::currency);
            columns.text(rows, PaymentRow::source);
            columns.text(rows, PaymentRow::destination);
            columns.longs(rows, PaymentRow::amountRefunded);
            columns.text(rows, PaymentRow::description);
            columns.text(rows, PaymentRow::metadataJson);
            columns.text(rows, PaymentRow::fraudJson);
            columns.text(rows, PaymentRow::failureCode);
            columns.text(rows, row -> row.created().toString());
            columns.text(rows, row -> row.updated().toString());
            columns.longs(rows, PaymentRow::lastEventSequence);
            statement.executeUpdate();
        }
    }

    /** Writes each payment's key, to expire {@code retention} after the payment's creation. */
    static void upsertKeys(Connection connection, List<KeyRow> batch, Duration retention) throws SQLException {
        List<KeyRow> rows = keptPerKey(batch, retention);
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(UPSERT_KEYS)) {
            statement.setString(1, retention.toMillis() + " milliseconds");
            Columns columns = new Columns(connection, statement, 2);
            columns.text(rows, KeyRow::merchantId);
            columns.text(rows, KeyRow::idempotencyKey);
            columns.text(rows, KeyRow::paymentId);
            columns.text(rows, KeyRow::requestFingerprint);
            columns.text(rows, row -> row.created().toString());
            statement.executeUpdate();
        }
    }

    /**
     * One row per {@code (merchant, key)} of a batch, applying the statement's own rule in batch order:
     * a later payment takes a key over only once the earlier one's has expired. A multi-row upsert may
     * not touch one row twice, and a batch can hold two payments with one key: a key reused after its
     * expiry, replayed from a backlog, or the reuse from another source account that docs/api.md
     * admits, where the key stays with the first payment and {@code kassa ledger verify} reports it.
     */
    static List<KeyRow> keptPerKey(List<KeyRow> batch, Duration retention) {
        Map<List<String>, KeyRow> kept = new LinkedHashMap<>();
        for (KeyRow row : batch) {
            kept.merge(List.of(row.merchantId(), row.idempotencyKey()), row, (first, later) ->
                    first.created().plus(retention).isAfter(later.created()) ? first : later);
        }
        return List.copyOf(kept.values());
    }

    static void upsertRefunds(Connection connection, List<RefundRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(UPSERT_REFUNDS)) {
            Columns columns = new Columns(connection, statement);
            columns.text(rows, RefundRow::id);
            columns.text(rows, RefundRow::paymentId);
            columns.text(rows, RefundRow::merchantId);
            columns.text(rows, RefundRow::idempotencyKey);
            columns.text(rows, RefundRow::requestFingerprint);
            columns.longs(rows, RefundRow::amount);
            columns.text(rows, RefundRow::currency);
            columns.text(rows, RefundRow::status);
            columns.text(rows, RefundRow::failureCode);
            columns.text(rows, row -> row.created().toString());
            columns.text(rows, row -> row.updated().toString());
            columns.longs(rows, RefundRow::lastEventSequence);
            statement.executeUpdate();
        }
    }

    /** Appends the batch's ledger legs with COPY: the table is append-only, so no conflict can arise. */
    static void insertEntries(Connection connection, List<EntryRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        CopyRows.copy(connection, "ledger_entries", ENTRY_COLUMNS, rows, row -> Arrays.asList(row.transactionId(),
                Integer.toString(row.entryIndex()), row.bookedOn().toString(), row.paymentId(), row.accountId(),
                Long.toString(row.amount()), row.currency(), row.bookedAt().toString()));
    }

    /**
     * Adds each account's delta (the sum of its entries in the batch) to its balance, one row update
     * per account however many entries the batch holds for it, in one statement.
     *
     * @throws UnopenedAccountsException when an account has no row
     */
    static void addToBalances(Connection connection, SortedMap<String, Long> deltas) throws SQLException {
        if (deltas.isEmpty()) {
            return;
        }
        List<String> accountIds = new ArrayList<>(deltas.keySet());
        Set<String> updated = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(ADD_TO_BALANCES)) {
            Columns columns = new Columns(connection, statement);
            columns.text(accountIds, id -> id);
            columns.longs(accountIds, deltas::get);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    updated.add(rows.getString(1));
                }
            }
        }
        List<String> unopened = accountIds.stream().filter(id -> !updated.contains(id)).toList();
        if (!unopened.isEmpty()) {
            throw new UnopenedAccountsException(unopened);
        }
    }

    static void insertDeadLetters(Connection connection, List<DeadLetterRecord> records) throws SQLException {
        if (records.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(INSERT_DEAD_LETTER)) {
            for (DeadLetterRecord record : records) {
                statement.setString(1, record.partition().topic());
                statement.setInt(2, record.partition().partition());
                statement.setLong(3, record.offset());
                statement.setString(4, record.reason());
                statement.setBytes(5, record.key());
                statement.setBytes(6, record.value());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

}
