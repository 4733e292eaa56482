package dev.kassa.api.payments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.kassa.api.error.DatabaseErrors;
import dev.kassa.model.DeclineCode;
import dev.kassa.model.FraudAssessment;
import dev.kassa.model.Ids;
import dev.kassa.model.Json;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentKind;
import dev.kassa.model.PaymentStatus;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Reads payments and deposits from the ledger's {@code payments} table, always scoped to one merchant.
 * The table is partitioned by the creation date embedded in the id; each query bounds
 * {@code created_on} by that date (give or take a day, for clock skew at midnight) so Postgres reads
 * only the partitions that can hold the row.
 */
public final class PaymentStore {

    private static final String COLUMNS = "id, merchant_id, idempotency_key, kind, status, amount, currency, source,"
            + " destination, amount_refunded, description, metadata::text AS metadata, fraud::text AS fraud,"
            + " failure_code, created";
    private static final String FIND = "SELECT " + COLUMNS + " FROM payments"
            + " WHERE id = ? AND merchant_id = ? AND created_on BETWEEN ? AND ?";
    private static final String LIST_NEWEST = "SELECT " + COLUMNS + " FROM payments"
            + " WHERE merchant_id = ? AND kind IN ('payment', 'card') ORDER BY id DESC LIMIT ?";
    private static final String LIST_BEFORE = "SELECT " + COLUMNS + " FROM payments"
            + " WHERE merchant_id = ? AND kind IN ('payment', 'card') AND id < ? AND created_on <= ? ORDER BY id DESC LIMIT ?";
    // Expiry is decided here, not by the purge, so the answer never depends on whether the purge has run.
    private static final String FIND_KEYS = "SELECT k.merchant_id, k.idempotency_key, k.payment_id, k.request_fingerprint"
            + " FROM unnest(?::text[], ?::text[]) AS wanted (merchant_id, idempotency_key)"
            + " JOIN idempotency_keys k USING (merchant_id, idempotency_key) WHERE k.expires_at > now()";
    private static final TypeReference<Map<String, String>> METADATA = new TypeReference<>() { };

    private final DataSource dataSource;

    public PaymentStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** The payment or deposit {@code paymentId} if it belongs to {@code merchantId}. */
    public Optional<Payment> find(String merchantId, String paymentId) {
        LocalDate createdOn = createdOn(paymentId);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(FIND)) {
            statement.setString(1, paymentId);
            statement.setString(2, merchantId);
            statement.setDate(3, Date.valueOf(createdOn.minusDays(1)));
            statement.setDate(4, Date.valueOf(createdOn.plusDays(1)));
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(payment(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw DatabaseErrors.translate("find payment " + paymentId, e);
        }
    }

    /** A payment that an idempotency key names, and the fingerprint of the request that created it (may be null). */
    /** A merchant's idempotency key. */
    public record MerchantKey(String merchantId, String idempotencyKey) {

        public MerchantKey {
            Objects.requireNonNull(merchantId, "merchantId");
            Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        }
    }

    public record KeyedPayment(String paymentId, String requestFingerprint) {
    }

    /**
     * The payments these merchants' idempotency keys created, for the keys Postgres still keeps (the
     * sink writes a key with its payment's first row and keeps it for the ledger key retention); a key
     * it does not keep is absent from the map. One statement for all of them
     * ({@link KeyLookups} groups the requests of many threads into one call).
     */
    public Map<MerchantKey, KeyedPayment> findByIdempotencyKeys(Collection<MerchantKey> keys) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        String[] merchants = keys.stream().map(MerchantKey::merchantId).toArray(String[]::new);
        String[] idempotencyKeys = keys.stream().map(MerchantKey::idempotencyKey).toArray(String[]::new);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(FIND_KEYS)) {
            statement.setArray(1, connection.createArrayOf("text", merchants));
            statement.setArray(2, connection.createArrayOf("text", idempotencyKeys));
            Map<MerchantKey, KeyedPayment> found = new HashMap<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    found.put(new MerchantKey(rows.getString("merchant_id"), rows.getString("idempotency_key")),
                            new KeyedPayment(rows.getString("payment_id"), rows.getString("request_fingerprint")));
                }
            }
            return found;
        } catch (SQLException e) {
            throw DatabaseErrors.translate("find the payments of " + keys.size() + " idempotency keys", e);
        }
    }

    /** One page of the merchant's payments, newest first; reads one row more than the page to learn {@code has_more}. */
    public PaymentPage list(String merchantId, PageRequest page) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = listStatement(connection, merchantId, page)) {
            List<Payment> payments = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    payments.add(payment(rows));
                }
            }
            boolean hasMore = payments.size() > page.limit();
            return new PaymentPage(hasMore ? payments.subList(0, page.limit()) : payments, hasMore);
        } catch (SQLException e) {
            throw DatabaseErrors.translate("list payments of " + merchantId, e);
        }
    }

    private static PreparedStatement listStatement(Connection connection, String merchantId, PageRequest page)
            throws SQLException {
        if (page.startingAfter().isEmpty()) {
            PreparedStatement statement = connection.prepareStatement(LIST_NEWEST);
            statement.setString(1, merchantId);
            statement.setInt(2, page.limit() + 1);
            return statement;
        }
        String startingAfter = page.startingAfter().get();
        PreparedStatement statement = connection.prepareStatement(LIST_BEFORE);
        statement.setString(1, merchantId);
        statement.setString(2, startingAfter);
        statement.setDate(3, Date.valueOf(createdOn(startingAfter).plusDays(1)));
        statement.setInt(4, page.limit() + 1);
        return statement;
    }

    private static LocalDate createdOn(String paymentId) {
        return LocalDate.ofInstant(Ids.createdAt(paymentId), ZoneOffset.UTC);
    }

    private static Payment payment(ResultSet row) throws SQLException {
        String id = row.getString("id");
        return new Payment(id, row.getString("merchant_id"), row.getString("idempotency_key"), null,
                kind(row.getString("kind")), status(row.getString("status")), row.getLong("amount"),
                row.getString("currency"), row.getString("source"), row.getString("destination"),
                row.getLong("amount_refunded"), row.getString("description"),
                readJson(id, row.getString("metadata"), METADATA), readJson(id, row.getString("fraud"), FraudAssessment.class),
                declineCode(id, row.getString("failure_code")), row.getTimestamp("created").toInstant());
    }

    private static PaymentKind kind(String wireName) {
        return switch (wireName) {
            case "deposit" -> PaymentKind.DEPOSIT;
            case "card" -> PaymentKind.CARD;
            default -> PaymentKind.PAYMENT;
        };
    }

    private static PaymentStatus status(String wireName) {
        return Arrays.stream(PaymentStatus.values()).filter(s -> s.wireName().equals(wireName)).findFirst()
                .orElseThrow(() -> new IllegalStateException("unknown payment status in the ledger: " + wireName));
    }

    private static DeclineCode declineCode(String paymentId, String code) {
        if (code == null) {
            return null;
        }
        return Arrays.stream(DeclineCode.values()).filter(c -> c.code().equals(code)).findFirst()
                .orElseThrow(() -> new IllegalStateException("payment " + paymentId + " has an unknown failure code: " + code));
    }

    private static <T> T readJson(String paymentId, String json, Class<T> type) {
        try {
            return Json.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("payment " + paymentId + " has unreadable " + type.getSimpleName(), e);
        }
    }

    private static <T> T readJson(String paymentId, String json, TypeReference<T> type) {
        try {
            return Json.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("payment " + paymentId + " has unreadable metadata", e);
        }
    }
}
