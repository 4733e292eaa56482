package dev.kassa.ledger.postgres;

import dev.kassa.ledger.AccountEventRecord;
import dev.kassa.ledger.LedgerRecord;
import dev.kassa.ledger.PaymentEventRecord;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Claims events in {@code applied_events}: the second line of defence, behind the offsets, against
 * applying an event twice (a duplicate publish, an offset row lost by an operator).
 */
final class AppliedEvents {

    private static final String CLAIM = "INSERT INTO applied_events (event_id, topic)"
            + " SELECT event_id, topic FROM unnest(?::text[], ?::text[]) AS claimed(event_id, topic)"
            + " ON CONFLICT (event_id) DO NOTHING RETURNING event_id";

    private AppliedEvents() {
    }

    /**
     * Inserts the ids of the events among {@code records}, in one statement, and returns the records
     * whose event was not applied before, each event once (its first occurrence).
     */
    static List<LedgerRecord> claim(Connection connection, List<LedgerRecord> records) throws SQLException {
        Map<String, LedgerRecord> firstPerEvent = new LinkedHashMap<>();
        records.forEach(record -> eventId(record).ifPresent(id -> firstPerEvent.putIfAbsent(id, record)));
        if (firstPerEvent.isEmpty()) {
            return List.of();
        }
        Set<String> claimed = insert(connection, firstPerEvent);
        List<LedgerRecord> fresh = new ArrayList<>();
        firstPerEvent.forEach((id, record) -> {
            if (claimed.contains(id)) {
                fresh.add(record);
            }
        });
        return fresh;
    }

    /** The event id of a decoded record; dead letters have none. */
    static Optional<String> eventId(LedgerRecord record) {
        if (record instanceof PaymentEventRecord payment) {
            return Optional.of(payment.event().eventId());
        }
        if (record instanceof AccountEventRecord account) {
            return Optional.of(account.event().eventId());
        }
        return Optional.empty();
    }

    private static Set<String> insert(Connection connection, Map<String, LedgerRecord> firstPerEvent)
            throws SQLException {
        String[] ids = firstPerEvent.keySet().toArray(String[]::new);
        String[] topics = firstPerEvent.values().stream().map(r -> r.partition().topic()).toArray(String[]::new);
        Array idArray = connection.createArrayOf("text", ids);
        Array topicArray = connection.createArrayOf("text", topics);
        Set<String> claimed = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(CLAIM)) {
            statement.setArray(1, idArray);
            statement.setArray(2, topicArray);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    claimed.add(rows.getString(1));
                }
            }
        } finally {
            idArray.free();
            topicArray.free();
        }
        return claimed;
    }
}
