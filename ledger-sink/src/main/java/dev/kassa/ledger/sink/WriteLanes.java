package dev.kassa.ledger.sink;

import dev.kassa.ledger.LedgerRecord;
import dev.kassa.model.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Splits one poll's records into lanes that the sink writes side by side, each lane in transactions
 * of its own (docs/architecture.md, "ledger-sink"). A partition's records all go to one lane, in
 * their order, so each lane continues its partitions exactly where the stored offsets stop, and the
 * offsets of one partition are only ever advanced by one transaction at a time. A poll holding any
 * {@code accounts.events} record stays one lane: a payment's entries need the accounts they name,
 * and in one lane the accounts are written first.
 */
final class WriteLanes {

    private WriteLanes() {
    }

    /**
     * The lanes of {@code records} (in consumed order, accounts first) for {@code writers} writers:
     * partitions dealt to lanes in the order they first appear, at most {@code writers} lanes.
     */
    static List<List<LedgerRecord>> of(List<LedgerRecord> records, int writers) {
        if (writers < 1) {
            throw new IllegalArgumentException("writers must be positive: " + writers);
        }
        if (writers == 1 || records.stream().anyMatch(WriteLanes::opensAnAccount)) {
            return List.of(records);
        }
        Map<TopicPartition, Integer> laneOfPartition = new HashMap<>();
        List<List<LedgerRecord>> lanes = new ArrayList<>();
        for (LedgerRecord record : records) {
            int lane = laneOfPartition.computeIfAbsent(record.partition(), partition -> laneOfPartition.size() % writers);
            if (lane == lanes.size()) {
                lanes.add(new ArrayList<>());
            }
            lanes.get(lane).add(record);
        }
        return lanes;
    }

    private static boolean opensAnAccount(LedgerRecord record) {
        return record.partition().topic().equals(Topics.ACCOUNTS_EVENTS.name());
    }
}
