package dev.kassa.app.e2e;

import dev.kassa.model.Topic;
import dev.kassa.model.Topics;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Reads {@code payments.commands} the way a downstream consumer would ({@link CommittedRecords}:
 * {@code read_committed}, every partition, from the beginning), to show what the API did or did
 * not publish. Values stay bytes: only the keys are looked at.
 */
final class CommandLog {

    private static final Topic<String, byte[]> RAW =
            new Topic<>(Topics.PAYMENTS_COMMANDS.name(), Serdes.String(), Serdes.ByteArray());

    private CommandLog() {
    }

    /** The keys of every command whose key starts with {@code prefix}, in partition and offset order. */
    static List<String> keysStartingWith(String bootstrapServers, String prefix) {
        return CommittedRecords.readAll(bootstrapServers, RAW).stream()
                .map(record -> record.key())
                .filter(key -> key != null && key.startsWith(prefix))
                .toList();
    }
}
