package dev.kassa.ledger.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.kassa.ledger.AccountEventRecord;
import dev.kassa.ledger.LedgerRecord;
import dev.kassa.ledger.PaymentEventRecord;
import dev.kassa.model.Account;
import dev.kassa.model.AccountEvent;
import dev.kassa.model.Ids;
import dev.kassa.model.Json;
import dev.kassa.model.LedgerEntry;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentEvent;
import dev.kassa.model.Refund;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The rows that newly applied events produce, computed without I/O so that the mapping can be tested
 * alone. Events already applied are filtered out before this step (by {@code applied_events}).
 *
 * @param accounts      accounts to insert if absent: opened accounts and external accounts on first use
 * @param payments      one row per payment, the state of its highest-sequence event in the batch (a
 *                      multi-row upsert may not touch one row twice)
 * @param keys          one {@code idempotency_keys} row per payment whose first event is in the batch
 * @param refunds       one row per refund, the state of its highest-sequence event in the batch
 * @param entries       one row per ledger leg
 * @param balanceDeltas the sum of the legs per account, sorted by account id so that concurrent
 *                      writers lock account rows in one order
 */
record LedgerRows(List<AccountRow> accounts, List<PaymentRow> payments, List<KeyRow> keys, List<RefundRow> refunds,
                  List<EntryRow> entries, SortedMap<String, Long> balanceDeltas) {

    /** The merchant that owns the external accounts. */
    static final String PLATFORM_MERCHANT = Ids.EXTERNAL_ACCOUNT_OWNER;

    /** An {@code accounts} row. */
    record AccountRow(String id, String merchantId, String currency, boolean allowNegative, Instant created) {
    }

    /** A {@code payments} row; JSON columns already serialized. */
    record PaymentRow(String id, LocalDate createdOn, String merchantId, String idempotencyKey, String kind,
                      String status, long amount, String currency, String source, String destination,
                      long amountRefunded, String description, String metadataJson, String fraudJson,
                      String failureCode, Instant created, Instant updated, long lastEventSequence) {
    }

    /** An {@code idempotency_keys} row: the key of a payment's request; its expiry is the writer's retention after {@code created}. */
    record KeyRow(String merchantId, String idempotencyKey, String paymentId, String requestFingerprint, Instant created) {
    }

    /** A {@code refunds} row. */
    record RefundRow(String id, String paymentId, String merchantId, String idempotencyKey, String requestFingerprint,
                     long amount, String currency, String status, String failureCode, Instant created, Instant updated,
                     long lastEventSequence) {
    }

    /** A {@code ledger_entries} row. */
    record EntryRow(String transactionId, int entryIndex, LocalDate bookedOn, String paymentId, String accountId,
                    long amount, String currency, Instant bookedAt) {
    }

    /** The rows of {@code records}; dead letters are written apart and ignored here. */
    static LedgerRows of(List<LedgerRecord> records) {
        Map<String, AccountRow> accounts = new LinkedHashMap<>();
        Map<String, PaymentEvent> latestPerPayment = new LinkedHashMap<>();
        Map<String, PaymentEvent> latestPerRefund = new LinkedHashMap<>();
        List<KeyRow> keys = new ArrayList<>();
        List<EntryRow> entries = new ArrayList<>();
        SortedMap<String, Long> balanceDeltas = new TreeMap<>();
        for (LedgerRecord record : records) {
            if (record instanceof AccountEventRecord accountEvent) {
                AccountRow row = accountRow(accountEvent.event());
                accounts.putIfAbsent(row.id(), row);
            } else if (record instanceof PaymentEventRecord paymentEvent) {
                PaymentEvent event = paymentEvent.event();
                latestPerPayment.merge(paymentKey(event.payment()), event,
                        (kept, next) -> next.sequence() > kept.sequence() ? next : kept);
                if (event.refund() != null) {
                    latestPerRefund.merge(event.refund().id(), event,
                            (kept, next) -> next.sequence() > kept.sequence() ? next : kept);
                }
                if (event.sequence() == 1) {
                    // A payment's first event writes its key, once; later events leave it alone.
                    keys.add(keyRow(event.payment()));
                }
                addEntries(event, entries, balanceDeltas, accounts);
            }
        }
        List<PaymentRow> payments = latestPerPayment.values().stream().map(LedgerRows::paymentRow).toList();
        List<RefundRow> refunds = latestPerRefund.values().stream().map(LedgerRows::refundRow).toList();
        return new LedgerRows(List.copyOf(accounts.values()), payments, List.copyOf(keys), refunds,
                List.copyOf(entries), balanceDeltas);
    }

    /** The UTC calendar date of {@code instant}: the partition key of payments and ledger entries. */
    static LocalDate utcDate(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }

    static AccountRow accountRow(AccountEvent event) {
        Account account = event.account();
        return new AccountRow(account.id(), account.merchantId(), account.currency(), account.allowNegative(),
                account.created());
    }

    static PaymentRow paymentRow(PaymentEvent event) {
        Payment payment = event.payment();
        return new PaymentRow(payment.id(), utcDate(payment.created()), payment.merchantId(),
                payment.idempotencyKey(), payment.kind().name().toLowerCase(Locale.ROOT), payment.status().wireName(),
                payment.amount(), payment.currency(), payment.source(), payment.destination(),
                payment.amountRefunded(), payment.description(), toJson(payment.metadata()), toJson(payment.fraud()),
                payment.failureCode() == null ? null : payment.failureCode().code(), payment.created(),
                event.occurredAt(), event.sequence());
    }

    static RefundRow refundRow(PaymentEvent event) {
        Refund refund = event.refund();
        return new RefundRow(refund.id(), refund.paymentId(), refund.merchantId(), refund.idempotencyKey(),
                refund.requestFingerprint(), refund.amount(), refund.currency(), refund.status().wireName(),
                refund.failureCode() == null ? null : refund.failureCode().code(), refund.created(),
                event.occurredAt(), event.sequence());
    }

    static KeyRow keyRow(Payment payment) {
        return new KeyRow(payment.merchantId(), payment.idempotencyKey(), payment.id(), payment.requestFingerprint(),
                payment.created());
    }

    /** The ledger rows of one event: leg {@code i} is entry {@code i} of transaction {@code eventId}. */
    static List<EntryRow> entryRows(PaymentEvent event) {
        List<EntryRow> rows = new ArrayList<>(event.entries().size());
        LocalDate bookedOn = utcDate(event.occurredAt());
        for (int index = 0; index < event.entries().size(); index++) {
            LedgerEntry entry = event.entries().get(index);
            rows.add(new EntryRow(event.eventId(), index, bookedOn, event.paymentId(), entry.accountId(),
                    entry.amount(), entry.currency(), event.occurredAt()));
        }
        return rows;
    }

    private static void addEntries(PaymentEvent event, List<EntryRow> entries, SortedMap<String, Long> balanceDeltas,
                                   Map<String, AccountRow> accounts) {
        for (EntryRow row : entryRows(event)) {
            entries.add(row);
            balanceDeltas.merge(row.accountId(), row.amount(), Math::addExact);
            if (Ids.isExternalAccount(row.accountId())) {
                // Money enters and leaves through the external account, so it is opened on first use.
                accounts.putIfAbsent(row.accountId(),
                        new AccountRow(row.accountId(), PLATFORM_MERCHANT, row.currency(), true, row.bookedAt()));
            }
        }
    }

    private static String paymentKey(Payment payment) {
        return payment.id() + "/" + utcDate(payment.created());
    }

    private static String toJson(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
