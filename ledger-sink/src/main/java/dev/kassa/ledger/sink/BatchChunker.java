package dev.kassa.ledger.sink;

import dev.kassa.ledger.LedgerRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Splits one poll's records into batches of at most {@code rowsMax} rows each (a record larger than
 * that alone gets a batch of its own). Records keep their order, so each batch continues every
 * partition exactly where the previous one stopped.
 */
final class BatchChunker {

    private BatchChunker() {
    }

    static List<List<LedgerRecord>> chunks(List<LedgerRecord> records, int rowsMax) {
        if (rowsMax < 1) {
            throw new IllegalArgumentException("rowsMax must be positive: " + rowsMax);
        }
        List<List<LedgerRecord>> chunks = new ArrayList<>();
        List<LedgerRecord> current = new ArrayList<>();
        Set<TopicPartition> partitions = new HashSet<>();
        int rows = 0;
        for (LedgerRecord record : records) {
            // One sink_offsets row per partition a batch touches.
            int cost = record.rowsMax() + (partitions.contains(record.partition()) ? 0 : 1);
            if (!current.isEmpty() && rows + cost > rowsMax) {
                chunks.add(current);
                current = new ArrayList<>();
                partitions.clear();
                rows = 0;
                cost = record.rowsMax() + 1;
            }
            current.add(record);
            partitions.add(record.partition());
            rows += cost;
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }
}
