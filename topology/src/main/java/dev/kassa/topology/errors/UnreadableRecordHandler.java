package dev.kassa.topology.errors;

import dev.kassa.model.Topics;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndFailExceptionHandler;

/**
 * Decides what happens to a record the topology cannot deserialize, by where it came from.
 *
 * <ul>
 *   <li>A command on {@code payments.commands} came from outside: it goes to the dead letter topic
 *       (raw key and value, the reason in {@code __streams.errors.*} headers) in the task's
 *       transaction, and processing continues, so one bad record does not stop every payment.
 *   <li>Anything else is a record the topology wrote itself, such as a ledger leg. Skipping a credit
 *       or a reversal would leave money debited and never given anywhere, so the task fails instead
 *       and nothing is committed past it; a fixed release reprocesses the record.
 * </ul>
 *
 * <p>Both cases delegate to Kafka's own handlers, which build the dead letter record from
 * {@code errors.dead.letter.queue.topic.name}.
 */
public final class UnreadableRecordHandler implements DeserializationExceptionHandler {

    private final LogAndContinueExceptionHandler deadLetterAndContinue = new LogAndContinueExceptionHandler();
    private final LogAndFailExceptionHandler fail = new LogAndFailExceptionHandler();

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetterAndContinue.configure(configs);
        fail.configure(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                Exception exception) {
        if (Topics.PAYMENTS_COMMANDS.name().equals(record.topic())) {
            return deadLetterAndContinue.handleError(context, record, exception);
        }
        return fail.handleError(context, record, exception);
    }
}
