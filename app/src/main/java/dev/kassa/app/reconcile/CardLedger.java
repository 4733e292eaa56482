package dev.kassa.app.reconcile;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Kassa's side of a reconciliation, read from the ledger (Postgres, which the sink writes): card
 * payments (kind {@code card}) by id and by day, and completed refunds of card payments by day. Read
 * only; a payment's day is its {@code created_on}, a refund's the UTC day of its {@code created}.
 */
final class CardLedger {

    private static final String PAYMENT_COLUMNS = "SELECT id, status, amount, currency, source FROM payments WHERE kind = 'card' AND ";

    private final DataSource dataSource;

    CardLedger(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** The card payments created on {@code day}. */
    Map<String, KassaCardPayment> paymentsOfDay(LocalDate day) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(PAYMENT_COLUMNS + "created_on = ?")) {
            statement.setObject(1, day);
            return payments(statement);
        }
    }

    /** The card payments among {@code ids}, whatever their day; an id that is no card payment is absent. */
    Map<String, KassaCardPayment> payments(Collection<String> ids) throws SQLException {
        if (ids.isEmpty()) {
            return Map.of();
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(PAYMENT_COLUMNS + "id = ANY (?)")) {
            statement.setArray(1, connection.createArrayOf("text", ids.toArray()));
            return payments(statement);
        }
    }

    /** The completed refunds of card payments created on {@code day} (UTC). */
    List<KassaCardRefund> refundsOfDay(LocalDate day) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT r.id, r.payment_id, r.amount, r.currency"
                     + " FROM refunds r WHERE r.status = 'completed' AND r.created >= ? AND r.created < ?"
                     + " AND EXISTS (SELECT 1 FROM payments p WHERE p.id = r.payment_id AND p.kind = 'card')"
                     + " ORDER BY r.created, r.id")) {
            statement.setTimestamp(1, Timestamp.from(day.atStartOfDay(ZoneOffset.UTC).toInstant()));
            statement.setTimestamp(2, Timestamp.from(day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
            List<KassaCardRefund> refunds = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    refunds.add(new KassaCardRefund(rows.getString(1), rows.getString(2), rows.getLong(3), rows.getString(4)));
                }
            }
            return refunds;
        }
    }

    private static Map<String, KassaCardPayment> payments(PreparedStatement statement) throws SQLException {
        Map<String, KassaCardPayment> payments = new LinkedHashMap<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                KassaCardPayment payment = new KassaCardPayment(rows.getString(1), rows.getString(2), rows.getLong(3),
                        rows.getString(4), rows.getString(5));
                payments.put(payment.id(), payment);
            }
        }
        return payments;
    }
}
