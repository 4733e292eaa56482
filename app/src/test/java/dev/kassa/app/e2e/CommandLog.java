package dev.kassa.app.e2e;

import dev.kassa.model.Command;
import dev.kassa.model.Topic;
import dev.kassa.model.Topics;
import dev.kassa.testing.CommittedRecords;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Reads {@code payments.commands} the way a downstream consumer would ({@link CommittedRecords}:
 * {@code read_committed}, every partition, from the beginning), to show what the API did or did
 * not publish. Commands are keyed by the account they are decided at (docs/architecture.md), so each
 * is read for its command key {@code merchantId:idempotencyKey}; bytes that are no command (a test's
 * poison record) are passed over.
 */
final class CommandLog {

    private static final Topic<String, byte[]> RAW =
            new Topic<>(Topics.PAYMENTS_COMMANDS.name(), Serdes.String(), Serdes.ByteArray());

    private CommandLog() {
    }

    /** The command keys of every command whose command key starts with {@code prefix}, in partition and offset order. */
    static List<String> keysStartingWith(String bootstrapServers, String prefix) {
        return CommittedRecords.readAll(bootstrapServers, RAW).stream()
                .map(record -> commandKey(record.value()))
                .flatMap(Optional::stream)
                .filter(key -> key.startsWith(prefix))
                .toList();
    }

    private static Optional<String> commandKey(byte[] value) {
        try {
            Command command = Topics.PAYMENTS_COMMANDS.valueSerde().deserializer()
                    .deserialize(Topics.PAYMENTS_COMMANDS.name(), value);
            return Optional.ofNullable(command).map(Command::key);
        } catch (SerializationException e) {
            return Optional.empty();
        }
    }
}
