package dev.kassa.api.refunds;

import dev.kassa.api.error.DatabaseErrors;
import dev.kassa.model.DeclineCode;
import dev.kassa.model.Refund;
import dev.kassa.model.RefundStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/** Reads refunds from the ledger's {@code refunds} table, which the sink writes; always scoped to one merchant. */
public final class RefundStore {

    private static final String COLUMNS = "id, payment_id, merchant_id, idempotency_key, request_fingerprint, amount,"
            + " currency, status, failure_code, created";
    private static final String FIND = "SELECT " + COLUMNS + " FROM refunds WHERE id = ? AND merchant_id = ?";
    private static final String LIST = "SELECT " + COLUMNS + " FROM refunds WHERE payment_id = ? AND merchant_id = ?"
            + " ORDER BY created, id LIMIT ?";

    private final DataSource dataSource;

    public RefundStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** The refund {@code refundId} if it belongs to {@code merchantId}. */
    public Optional<Refund> find(String merchantId, String refundId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(FIND)) {
            statement.setString(1, refundId);
            statement.setString(2, merchantId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(refund(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw DatabaseErrors.translate("find refund " + refundId, e);
        }
    }

    /** Up to {@code limit} refunds of payment {@code paymentId}, oldest first. */
    public List<Refund> list(String merchantId, String paymentId, int limit) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(LIST)) {
            statement.setString(1, paymentId);
            statement.setString(2, merchantId);
            statement.setInt(3, limit);
            List<Refund> refunds = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    refunds.add(refund(rows));
                }
            }
            return refunds;
        } catch (SQLException e) {
            throw DatabaseErrors.translate("list the refunds of payment " + paymentId, e);
        }
    }

    private static Refund refund(ResultSet row) throws SQLException {
        String id = row.getString("id");
        return new Refund(id, row.getString("payment_id"), row.getString("merchant_id"),
                row.getString("idempotency_key"), row.getString("request_fingerprint"), row.getLong("amount"),
                row.getString("currency"), status(id, row.getString("status")),
                declineCode(id, row.getString("failure_code")), row.getTimestamp("created").toInstant());
    }

    private static RefundStatus status(String refundId, String wireName) {
        return Arrays.stream(RefundStatus.values()).filter(s -> s.wireName().equals(wireName)).findFirst()
                .orElseThrow(() -> new IllegalStateException("refund " + refundId + " has an unknown status: " + wireName));
    }

    private static DeclineCode declineCode(String refundId, String code) {
        if (code == null) {
            return null;
        }
        return Arrays.stream(DeclineCode.values()).filter(c -> c.code().equals(code)).findFirst()
                .orElseThrow(() -> new IllegalStateException("refund " + refundId + " has an unknown failure code: " + code));
    }
}
