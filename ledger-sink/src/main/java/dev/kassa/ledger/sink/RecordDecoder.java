package dev.kassa.ledger.sink;

import dev.kassa.ledger.AccountEventRecord;
import dev.kassa.ledger.DeadLetterRecord;
import dev.kassa.ledger.LedgerRecord;
import dev.kassa.ledger.PaymentEventRecord;
import dev.kassa.model.AccountEvent;
import dev.kassa.model.PaymentEvent;
import dev.kassa.model.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Turns a consumed record's bytes into a {@link LedgerRecord} with the topics' own serdes. A record
 * that cannot be read becomes a {@link DeadLetterRecord} carrying the reason, never an exception: one
 * bad record must neither stop the sink nor vanish.
 */
final class RecordDecoder {

    private RecordDecoder() {
    }

    static LedgerRecord decode(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        if (record.value() == null) {
            return deadLetter(record, partition, "record has no value (a tombstone); ledger events are never deleted");
        }
        try {
            if (record.topic().equals(Topics.PAYMENTS_EVENTS.name())) {
                PaymentEvent event = Topics.PAYMENTS_EVENTS.valueSerde().deserializer()
                        .deserialize(record.topic(), record.value());
                return new PaymentEventRecord(partition, record.offset(), event, record.key(), record.value());
            }
            if (record.topic().equals(Topics.ACCOUNTS_EVENTS.name())) {
                AccountEvent event = Topics.ACCOUNTS_EVENTS.valueSerde().deserializer()
                        .deserialize(record.topic(), record.value());
                return new AccountEventRecord(partition, record.offset(), event);
            }
            return deadLetter(record, partition, "the ledger sink does not read topic " + record.topic());
        } catch (SerializationException e) {
            return deadLetter(record, partition, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private static DeadLetterRecord deadLetter(ConsumerRecord<byte[], byte[]> record, TopicPartition partition,
                                               String reason) {
        return new DeadLetterRecord(partition, record.offset(), reason, record.key(), record.value());
    }
}
