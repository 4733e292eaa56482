package dev.kassa.topology.dedupe;

import dev.kassa.model.Command;
import dev.kassa.model.CommandReplay;
import dev.kassa.model.CreatePayment;
import dev.kassa.model.CreateRefund;
import dev.kassa.model.OpenAccount;
import dev.kassa.model.Payment;
import dev.kassa.topology.retention.BoundedPurge;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first stage, in the task of the command's {@link Command#routingKey()} (a payment's source
 * account): lets the first command with a command key {@code merchantId:idempotencyKey} through to
 * {@code initiate}, which remembers the key in the same store once it has executed the command, and
 * answers every repeat within the retention with
 * a {@link CommandReplay} naming the payment or account the first command created, instead of
 * executing it again. This is the second line behind the API's Redis keys and holds when Redis has
 * lost one. The replay carries the first command's request fingerprint, so the API can refuse a
 * different request that reuses the key ({@code idempotency_key_reused}) rather than answer it with
 * the first one's outcome. Every retry of a request names the same account, so it reaches the task
 * that remembers its key; a different request reusing the key with another source account reaches
 * another task, which does not know the key: Redis and Postgres refuse it in front of the topology,
 * and where neither remembers it, it is another payer's payment (docs/api.md, Idempotency).
 *
 * <p>Time is stream time (the largest record timestamp this task has seen), the same clock as the
 * remembered {@code firstSeenMs}. A key is expired once {@code firstSeenMs + retention <= stream
 * time}; after that <b>a command with the same key is a new command</b> and creates a new payment.
 * Expiry is decided at lookup, so the answer never depends on whether the purge has run yet; the
 * purge only frees space. A record timestamped far in the future advances stream time and so
 * expires keys early: the API stamps commands with its own clock, and the retention keeps an hour of
 * margin over the API's 24 h.
 *
 * <p>The purge punctuates on stream time, which makes it exact under TopologyTestDriver and ties it
 * to the clock expiry uses; an idle partition is then not purged, which costs only disk, since
 * nothing is decided there. Each punctuation examines at most {@code purgeEntriesMax} entries
 * (deleting only expired ones among them) and resumes at the next key on the following call,
 * wrapping around at the end of the store, so its work per call is bounded however large the
 * store grows.
 *
 * <p>Every command passes here first, so this stage also paces the task's commits: a command that
 * arrives after a quiet spell asks for a commit as soon as it is processed, so that it is answered
 * without waiting out the commit interval ({@link CommitPacer}).
 */
public final class DedupeProcessor implements Processor<String, Command, String, Deduplicated> {

    /** How often, in stream time, the purge runs. */
    public static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);

    /** Entries one purge examines at most: bounds the work, and the changelog tombstones, of one punctuation. */
    public static final int PURGE_ENTRIES_MAX = BoundedPurge.ENTRIES_MAX;

    private static final Logger LOG = LoggerFactory.getLogger(DedupeProcessor.class);

    private final long retentionMs;
    private final BoundedPurge<IdempotencyEntry> purge;
    private final CommitPacer pacer = new CommitPacer();
    private ProcessorContext<String, Deduplicated> context;
    private KeyValueStore<String, IdempotencyEntry> keys;

    public DedupeProcessor(Duration retention) {
        this(retention, PURGE_ENTRIES_MAX);
    }

    DedupeProcessor(Duration retention, int purgeEntriesMax) {
        Objects.requireNonNull(retention, "retention");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("dedupe retention must be positive: " + retention);
        }
        this.retentionMs = retention.toMillis();
        this.purge = new BoundedPurge<>(purgeEntriesMax, this::isExpired);
    }

    @Override
    public void init(ProcessorContext<String, Deduplicated> context) {
        this.context = context;
        this.keys = context.getStateStore(IdempotencyKeys.STORE_NAME);
        context.schedule(PURGE_INTERVAL, PunctuationType.STREAM_TIME, this::purge);
    }

    @Override
    public void process(Record<String, Command> record) {
        if (pacer.commitNow(record.timestamp())) {
            context.commit();
        }
        Command command = record.value();
        if (command == null) {
            // A tombstone carries no command to answer; the API never publishes one.
            LOG.warn("skipping a record without a command on key {} at timestamp {}", record.key(), record.timestamp());
            return;
        }
        String key = command.key();
        if (!record.key().equals(command.routingKey()) && !record.key().equals(key)
                && !record.key().equals(earlierRoutingKey(command))) {
            // The command's own keys decide; stopping every payment for one mis-keyed record would be worse.
            // Such a record may sit on another partition than its repeats, so it is worth an operator's look.
            LOG.warn("command {} routed by {} arrived on record key {}; deduplicating under {}",
                    resourceId(command), command.routingKey(), record.key(), key);
        }
        IdempotencyEntry first = keys.get(key);
        if (first != null && !isExpired(first, context.currentStreamTimeMs())) {
            CommandReplay replay = CommandReplay.of(command, resourceId(command), first.resourceId(),
                    first.requestFingerprint(), Instant.ofEpochMilli(record.timestamp()));
            // payments.replays is keyed by the command key, whatever account the command was routed by.
            context.forward(record.withKey(key).withValue(new Deduplicated.Repeated(replay)));
            return;
        }
        // Not remembered here: initiate remembers the key once it has executed the command, so a command
        // it cannot execute (set aside as a dead letter) leaves no key that would answer retries with a
        // payment that never existed.
        context.forward(record.withValue(new Deduplicated.First(command)));
    }

    /**
     * The key the release before the treasury task published {@code command} under, when it differs:
     * a deposit's credited account. Such a deposit is deduplicated here, where its retries meet its key.
     */
    private static String earlierRoutingKey(Command command) {
        return command instanceof CreatePayment create
                ? Payment.earlierDecidingAccount(create.kind(), create.source(), create.destination())
                : command.routingKey();
    }

    /** The entry that remembers {@code command}, first seen at {@code timestampMs}. */
    public static IdempotencyEntry entryOf(Command command, long timestampMs) {
        return new IdempotencyEntry(resourceId(command), timestampMs, command.requestFingerprint());
    }

    private boolean isExpired(IdempotencyEntry entry, long streamTimeMs) {
        return entry.firstSeenMs() + retentionMs <= streamTimeMs;
    }

    /** Deletes the expired entries among the next {@code purgeEntriesMax}; returns how many it deleted. */
    int purge(long streamTimeMs) {
        int deleted = purge.purge(keys, streamTimeMs);
        if (deleted > 0) {
            LOG.debug("purged {} idempotency keys; next purge starts at {}", deleted,
                    purge.resumeKey() == null ? "the beginning" : purge.resumeKey());
        }
        return deleted;
    }

    /** The id a command creates: its payment's, its refund's or its account's. */
    static String resourceId(Command command) {
        if (command instanceof CreatePayment create) {
            return create.paymentId();
        }
        if (command instanceof CreateRefund refund) {
            return refund.refundId();
        }
        if (command instanceof OpenAccount open) {
            return open.accountId();
        }
        throw new IllegalStateException("unknown command " + command.getClass().getName() + " on key " + command.key());
    }
}
