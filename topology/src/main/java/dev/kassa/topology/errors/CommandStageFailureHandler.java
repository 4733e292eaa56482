package dev.kassa.topology.errors;

import dev.kassa.model.Topics;
import dev.kassa.topology.KassaTopology;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.errors.LogAndFailProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Decides what happens when a processor throws, by where the command stood when it did.
 *
 * <ul>
 *   <li>In {@code dedupe} or {@code initiate}, on a command read from {@code payments.commands}, no
 *       money has moved and nothing is remembered yet: {@code initiate} forwards and writes the
 *       idempotency key only after everything that can fail. The command goes to the dead letter
 *       topic — its original bytes, the exception, topic, partition and offset in
 *       {@code __streams.errors.*} headers — in the task's transaction, and processing continues, so
 *       one command no check foresaw does not stop every payment. A retry of it fails the same way
 *       and is set aside again, instead of being answered with a payment that never existed.
 *   <li>Anywhere else a leg has moved money: skipping a credit or a reversal would leave an amount
 *       debited and never given anywhere. A failure there is a broken invariant, so the task fails
 *       and nothing is committed past the record; a fixed release reprocesses it. Failures of Kafka
 *       Streams itself ({@link StreamsException}, such as a state store that cannot be written) and
 *       of punctuations (no source record to set aside) fail the task everywhere.
 * </ul>
 *
 * <p>Both cases delegate to Kafka's own handlers, which build the dead letter record from
 * {@code errors.dead.letter.queue.topic.name}.
 */
public final class CommandStageFailureHandler implements ProcessingExceptionHandler {

    /** The processors that run before any leg moves money. */
    static final Set<String> COMMAND_STAGES = Set.of(KassaTopology.DEDUPE, KassaTopology.INITIATE);

    private final LogAndContinueProcessingExceptionHandler deadLetterAndContinue =
            new LogAndContinueProcessingExceptionHandler();
    private final LogAndFailProcessingExceptionHandler fail = new LogAndFailProcessingExceptionHandler();

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetterAndContinue.configure(configs);
        fail.configure(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (isSetAside(context, exception)) {
            return deadLetterAndContinue.handleError(context, record, exception);
        }
        return fail.handleError(context, record, exception);
    }

    private static boolean isSetAside(ErrorHandlerContext context, Exception exception) {
        return COMMAND_STAGES.contains(context.processorNodeId())
                && !(exception instanceof StreamsException)
                && Topics.PAYMENTS_COMMANDS.name().equals(context.topic())
                && context.sourceRawValue() != null;
    }
}
