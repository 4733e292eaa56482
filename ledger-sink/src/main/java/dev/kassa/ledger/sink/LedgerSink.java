package dev.kassa.ledger.sink;

import dev.kassa.ledger.LedgerBatch;
import dev.kassa.ledger.LedgerRecord;
import dev.kassa.ledger.OffsetAdvance;
import dev.kassa.ledger.postgres.DeadLetterOutbox;
import dev.kassa.ledger.postgres.IdempotencyKeyPurge;
import dev.kassa.ledger.postgres.LedgerPartitions;
import dev.kassa.ledger.postgres.LedgerWriter;
import dev.kassa.ledger.postgres.UnopenedAccountsException;
import dev.kassa.ledger.postgres.WriteResult;
import dev.kassa.model.Topics;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger sink: reads {@code accounts.events} and {@code payments.events} ({@code read_committed})
 * and writes each poll's records to Postgres with {@link LedgerWriter}, the consumed offsets in the
 * same transaction. Postgres is the only source of truth for offsets: on every assignment, and after
 * every failed batch, the sink seeks each partition to the {@code next_offset} stored there (the
 * beginning when none is). So a crash or a rebalance at any point neither loses nor duplicates a row.
 *
 * <p>A failed batch (Postgres down, a constraint violation, another instance fencing a partition) is
 * rolled back; the sink pauses its partitions, keeps polling so that it stays in the group, and seeks
 * again from Postgres after a bounded exponential backoff. A batch that keeps failing is retried
 * rather than skipped: the sink stops advancing and reports itself unhealthy, because skipping would
 * lose money. Only a sink fenced out of its group by another with the same {@code group.instance.id}
 * stops for good: its thread ends ({@code kassa sink} then exits 1). Poison records never fail a batch: records that cannot be decoded, and events that would
 * break a ledger invariant (entries not summing to zero, in a foreign currency), go to
 * {@code dead_letters} in the batch's transaction, with their bytes and the reason.
 *
 * <p>{@code dead_letters} is also the outbox of {@code kassa.dead-letter}: after a batch with dead
 * letters commits, at start, and every {@link #DEAD_LETTER_RELAY_INTERVAL}, the sink publishes the
 * unpublished rows ({@link DeadLetterOutbox#ROWS_PER_CALL_MAX} per step at most) and marks them
 * published. A failed publish only delays it; a crash between publish and mark publishes a row twice.
 *
 * <p>Its timed chores are {@link ScheduledChore}s: seeking again after a failure and creating
 * partitions run in the consume loop; the key purge and the dead-letter relay on a {@link ChoreThread}
 * of their own, so that neither holds up a batch.
 *
 * <p>Run it on its own thread ({@link #run()}) and stop it with {@link #close()} from any thread.
 */
public final class LedgerSink implements Runnable, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerSink.class);

    /** How often unpublished dead letters are looked for when the last relay left none behind. */
    static final Duration DEAD_LETTER_RELAY_INTERVAL = Duration.ofSeconds(10);

    /** How often expired idempotency keys are purged when the last purge left none behind. */
    static final Duration KEY_PURGE_INTERVAL = Duration.ofSeconds(10);

    // Accounts first: a payment's entries need the accounts they name, and both topics may arrive in
    // one poll.
    private static final Comparator<TopicPartition> WRITE_ORDER = Comparator
            .comparing((TopicPartition p) -> !p.topic().equals(Topics.ACCOUNTS_EVENTS.name()))
            .thenComparing(TopicPartition::topic)
            .thenComparingInt(TopicPartition::partition);

    private final SinkSettings settings;
    private final DataSource dataSource;
    private final Consumer<byte[], byte[]> consumer;
    private final LedgerWriter writer;
    private final Producer<byte[], byte[]> deadLetterProducer;
    private final DeadLetterPublisher deadLetterPublisher;
    private final Backoff backoff;
    private final SinkMetrics metrics;
    private final PartitionPositions positions = new PartitionPositions();
    /** Where the lanes after the first are written; null with one writer. */
    private final ExecutorService writers;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private final FailureStreak failures;
    // The four timed chores: seeking again after a failure and creating partitions run in the loop,
    // because they touch the consumer or must precede a batch; the key purge and the dead-letter relay
    // run on their own thread, so that neither holds up a batch.
    private final ScheduledChore retry;
    private final ScheduledChore partitionMaintenance;
    private final ScheduledChore keyPurge;
    private final ScheduledChore deadLetterRelay;
    private final ChoreThread chores;
    // A purge failure, handed from the chore thread to the loop, which alone may pause and seek.
    private final AtomicReference<Exception> purgeFailure = new AtomicReference<>();

    private volatile boolean running;
    private volatile boolean joined;
    private volatile boolean crashed;
    private volatile boolean caughtUp;

    /** A sink with its own Kafka consumer, writing through {@code dataSource} (which the caller owns and closes). */
    public LedgerSink(SinkSettings settings, DataSource dataSource) {
        this(settings, dataSource, SinkMetrics.none(), LedgerWriter.CommitHook.NONE);
    }

    /**
     * A sink counting into {@code metrics}, whose writer calls {@code commitHook} before each commit
     * ({@link LedgerWriter.CommitHook#NONE} but in tests that inject faults).
     */
    public LedgerSink(SinkSettings settings, DataSource dataSource, SinkMetrics metrics, LedgerWriter.CommitHook commitHook) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.consumer = new KafkaConsumer<>(settings.consumerProperties());
        this.deadLetterProducer = new KafkaProducer<>(settings.deadLetterProducerProperties());
        this.deadLetterPublisher = new DeadLetterPublisher(deadLetterProducer,
                SinkSettings.DEAD_LETTER_ACKNOWLEDGEMENT_WAIT);
        this.writer = new LedgerWriter(dataSource, settings.groupId(), commitHook, settings.keyRetention());
        this.backoff = new Backoff(settings.retryBackoffMin(), settings.retryBackoffMax());
        this.failures = new FailureStreak(settings.unhealthyAfterFailures());
        // Every chore is due at the first step: leftover dead letters of an earlier run are published then.
        this.retry = new ScheduledChore("seek from Postgres", () -> {
            seekPending();
            return Duration.ZERO;
        }, e -> failed("seek", e));
        this.partitionMaintenance = new ScheduledChore("partition maintenance", this::maintainPartitions,
                e -> retryLater("creating the ledger's daily partitions failed", e));
        this.keyPurge = new ScheduledChore("idempotency key purge", this::purgeExpiredKeys, e -> {
            purgeFailure.set(e);
            return settings.retryBackoffMax();
        });
        this.deadLetterRelay = new ScheduledChore("dead-letter relay", this::relayDeadLetters,
                e -> retryLater("publishing dead letters to " + Topics.DEAD_LETTER.name() + " failed", e));
        this.chores = new ChoreThread("kassa-sink-chores", List.of(keyPurge, deadLetterRelay));
        this.writers = settings.writers() == 1 ? null : Executors.newFixedThreadPool(settings.writers() - 1,
                new ThreadFactory() {
                    private final AtomicInteger created = new AtomicInteger();

                    @Override
                    public Thread newThread(Runnable lane) {
                        Thread thread = new Thread(lane, "ledger-sink-writer-" + created.incrementAndGet());
                        thread.setDaemon(true);
                        return thread;
                    }
                });
    }

    /** Consumes until {@link #close()}. May be called once. */
    @Override
    public void run() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("the ledger sink runs once; it is running or closed already");
        }
        try {
            subscribe();
            chores.start();
            while (!closing.get()) {
                step();
            }
        } catch (WakeupException e) {
            LOG.debug("ledger sink woken up to close");
        } catch (RuntimeException | Error e) {
            crashed = true;
            LOG.error("ledger sink stopped on an unexpected error", e);
            throw e;
        } finally {
            running = false;
            chores.close(settings.closeTimeout());
            closeWriters();
            closeConsumer();
            closeDeadLetterProducer();
            stopped.countDown();
        }
    }

    /**
     * False once the loop has crashed or is closing, or after
     * {@link SinkSettings#unhealthyAfterFailures()} failures in a row (batches, or seeks while
     * Postgres is away). A sink stuck on a batch that keeps failing stays unhealthy until a batch
     * commits; one that only lost Postgres recovers as soon as it can seek again.
     */
    public boolean isHealthy() {
        return !crashed && !closing.get() && failures.isHealthy();
    }

    /**
     * True when the sink has joined its group, has sought every assigned partition from Postgres and
     * its last batch succeeded: it is writing.
     */
    public boolean isReady() {
        return running && joined && caughtUp && failures.isClear() && !closing.get();
    }

    /**
     * Stops the loop (waking the consumer out of its poll) and waits at most
     * {@link SinkSettings#closeTimeout()} for it to finish its batch and close the consumer. An
     * unfinished batch is rolled back by Postgres when its connection goes, so stopping never
     * half-writes.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        if (started.compareAndSet(false, true)) {
            closeWriters();
            closeConsumer();
            closeDeadLetterProducer();
            stopped.countDown();
            return;
        }
        consumer.wakeup();
        try {
            if (!stopped.await(settings.closeTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("ledger sink did not stop within {}; its batch, if any, commits or rolls back on its own",
                        settings.closeTimeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Subscribes to the sink's topics; every assignment is sought from Postgres. */
    void subscribe() {
        consumer.subscribe(SinkSettings.TOPICS, new SeekFromPostgres());
        running = true;
    }

    /** One turn of the loop: partitions and seeks due, one poll and its batches. */
    void step() {
        try {
            Exception purgeFailed = purgeFailure.getAndSet(null);
            if (purgeFailed != null) {
                // Counted as a failure like a batch's: an idle sink has no other way to notice that
                // Postgres is gone, and must report itself not ready; the re-seek it causes is harmless.
                failed("idempotency key purge", purgeFailed);
            }
            partitionMaintenance.runIfDue();
            retry.runIfDue();
            ConsumerRecords<byte[], byte[]> polled = consumer.poll(settings.pollTimeout());
            if (!polled.isEmpty()) {
                write(decode(polled));
            }
            caughtUp = positions.pending().isEmpty();
            recordLag();
        } catch (WakeupException e) {
            throw e;
        } catch (FencedInstanceIdException e) {
            // Another sink joined with this one's group.instance.id (--instance-id): this member is out
            // of the group for good, and retrying would only fence the other one in turn. Its batch, if
            // any, is rolled back; the thread ends so that the process exits and an operator sees why.
            LOG.error("ledger sink fenced: another instance uses its group.instance.id {}; stopping",
                    settings.groupInstanceId());
            throw e;
        } catch (RuntimeException e) {
            failed("poll", e);
        }
    }

    /** Each assigned partition's lag as the consumer knows it from its last fetch (no broker call). */
    private void recordLag() {
        for (TopicPartition partition : consumer.assignment()) {
            OptionalLong lag = consumer.currentLag(partition);
            if (lag.isPresent()) {
                metrics.lag(partition, lag.getAsLong());
            }
        }
    }

    private List<LedgerRecord> decode(ConsumerRecords<byte[], byte[]> polled) {
        List<TopicPartition> partitions = new ArrayList<>(polled.partitions());
        partitions.sort(WRITE_ORDER);
        List<LedgerRecord> records = new ArrayList<>(polled.count());
        for (TopicPartition partition : partitions) {
            for (ConsumerRecord<byte[], byte[]> record : polled.records(partition)) {
                records.add(RecordDecoder.decode(record));
            }
        }
        return records;
    }

    /**
     * Writes a poll's records in lanes ({@link WriteLanes}) side by side, the first on this thread and
     * the others on {@link #writers}, each lane's batches one after another, each batch its own
     * transaction with its partitions' offsets. Only then, on this thread, are the committed batches
     * recorded and a failure handled: a lane that failed leaves the others' commits standing, and
     * every partition is sought again from Postgres, which knows exactly what each lane committed.
     */
    private void write(List<LedgerRecord> records) {
        Map<TopicPartition, OptionalLong> known = positions.known();
        List<List<LedgerRecord>> lanes = WriteLanes.of(records, settings.writers());
        List<CompletableFuture<LaneOutcome>> others = new ArrayList<>();
        for (List<LedgerRecord> lane : lanes.subList(1, lanes.size())) {
            others.add(CompletableFuture.supplyAsync(() -> writeLane(lane, known), writers));
        }
        List<LaneOutcome> outcomes = new ArrayList<>();
        outcomes.add(writeLane(lanes.get(0), known));
        others.forEach(lane -> outcomes.add(lane.join()));
        LaneOutcome failed = null;
        for (LaneOutcome outcome : outcomes) {
            for (Committed committed : outcome.committed()) {
                metrics.batchCommitted(committed.batch().records().size(), committed.took(), committed.result());
                succeeded(committed.batch(), committed.result());
            }
            if (outcome.failure() != null && failed == null) {
                failed = outcome;
            }
        }
        if (failed != null) {
            if (failed.failure() instanceof UnopenedAccountsException) {
                writeAccountEventsAlone(failed.failedBatch());
            }
            batchFailed(failed.failure());
        }
    }

    /** Writes one lane's records batch after batch, until one fails; thread-safe (the writer is). */
    private LaneOutcome writeLane(List<LedgerRecord> records, Map<TopicPartition, OptionalLong> known) {
        Map<TopicPartition, OptionalLong> offsets = new HashMap<>(known);
        List<Committed> committed = new ArrayList<>();
        for (List<LedgerRecord> chunk : BatchChunker.chunks(records, settings.batchRowsMax())) {
            LedgerBatch batch = null;
            try {
                batch = LedgerBatch.of(chunk, offsets);
                long startedNanos = System.nanoTime();
                WriteResult result = writer.write(batch);
                committed.add(new Committed(batch, result, Duration.ofNanos(System.nanoTime() - startedNanos)));
            } catch (SQLException | RuntimeException e) {
                return new LaneOutcome(committed, batch, e);
            }
            batch.offsets().forEach(advance -> offsets.put(advance.partition(), OptionalLong.of(advance.nextOffset())));
        }
        return new LaneOutcome(committed, null, null);
    }

    /** A batch a lane committed, what it wrote and how long it took. */
    private record Committed(LedgerBatch batch, WriteResult result, Duration took) {
    }

    /** What a lane committed, and the batch it stopped at with its failure (both null when none failed). */
    private record LaneOutcome(List<Committed> committed, LedgerBatch failedBatch, Exception failure) {
    }

    /**
     * When a payment names an account whose {@code AccountOpened} this batch does not carry yet, the
     * batch's account events are still committed on their own, so that the retry finds more accounts
     * opened and the sink makes progress however the two topics interleave.
     */
    private void writeAccountEventsAlone(LedgerBatch batch) {
        LedgerBatch accounts = batch.onlyTopic(Topics.ACCOUNTS_EVENTS.name());
        if (accounts.isEmpty()) {
            return;
        }
        try {
            long startedNanos = System.nanoTime();
            WriteResult result = writer.write(accounts);
            metrics.batchCommitted(accounts.records().size(), Duration.ofNanos(System.nanoTime() - startedNanos), result);
            succeeded(accounts, result);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("writing the account events of a failed batch failed too", e);
        }
    }

    private void succeeded(LedgerBatch batch, WriteResult result) {
        positions.advanced(batch.offsets());
        failures.batchCommitted();
        LOG.debug("ledger batch committed: {}", result);
        if (result.deadLetters() > 0) {
            chores.runSoon(deadLetterRelay);
        }
        commitToKafkaForMonitoring(batch.offsets());
    }

    /** Kafka's committed offsets only feed lag monitoring; the sink never seeks from them. */
    private void commitToKafkaForMonitoring(List<OffsetAdvance> advances) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        advances.forEach(a -> offsets.put(a.partition(), new OffsetAndMetadata(a.nextOffset())));
        consumer.commitAsync(offsets, (committed, error) -> {
            if (error != null) {
                LOG.debug("monitoring commit to Kafka failed (harmless: offsets live in Postgres)", error);
            }
        });
    }

    private void batchFailed(Exception cause) {
        failed("batch", cause, failures.batchFailed());
    }

    /**
     * Rolls the sink's view back to Postgres: every partition is paused and sought again from
     * {@code sink_offsets} once the backoff has passed. Polling goes on meanwhile, so the consumer
     * stays in its group however long Postgres is away.
     */
    private Duration failed(String what, Exception cause) {
        return failed(what, cause, failures.failed());
    }

    /** Returns how long until the next seek. */
    private Duration failed(String what, Exception cause, int inARow) {
        metrics.failed(what);
        Duration delay = backoff.delay(inARow);
        LOG.warn("ledger {} failed ({} in a row); seeking again from Postgres in {} ms: {}", what, inARow,
                delay.toMillis(), cause.toString(), cause);
        positions.invalidateAll();
        consumer.pause(consumer.assignment());
        retry.dueIn(delay);
        caughtUp = false;
        return delay;
    }

    /**
     * Seeks the pending partitions to their stored offsets and resumes them; a failure is the retry
     * chore's, which counts it and backs off.
     */
    private void seekPending() throws SQLException {
        Set<TopicPartition> pending = new HashSet<>(positions.pending());
        if (pending.isEmpty()) {
            return;
        }
        Set<TopicPartition> assigned = consumer.assignment();
        positions.revoked(pending.stream().filter(p -> !assigned.contains(p)).toList());
        pending.retainAll(assigned);
        Map<TopicPartition, OptionalLong> stored = writer.storedOffsets(pending);
        seek(stored);
        positions.sought(stored);
        consumer.resume(pending);
        failures.sought();
        LOG.info("ledger sink sought {} partition(s) from Postgres: {}", stored.size(), stored);
    }

    /**
     * Seeks each partition to its stored offset, or to its beginning when none is stored, resolved here
     * and now: a lazy {@code seekToBeginning} leaves a partition without a position until a later poll,
     * so the partitions with a stored offset are fetched first, and a batch needing an event of the
     * lazy partition (an AccountOpened, a funding deposit) fails, is sought again, and fails again,
     * without that partition ever being read.
     */
    private void seek(Map<TopicPartition, OptionalLong> stored) {
        List<TopicPartition> fromBeginning = stored.entrySet().stream()
                .filter(entry -> entry.getValue().isEmpty()).map(Map.Entry::getKey).toList();
        Map<TopicPartition, Long> beginnings = fromBeginning.isEmpty()
                ? Map.of() : consumer.beginningOffsets(fromBeginning);
        stored.forEach((partition, nextOffset) ->
                consumer.seek(partition, nextOffset.isPresent() ? nextOffset.getAsLong() : beginnings.get(partition)));
    }

    /**
     * Deletes a bounded number of expired idempotency keys every {@link #KEY_PURGE_INTERVAL}, and again
     * at once while a purge finds a full bound's worth, so that the purge keeps pace with the rate keys
     * expire at without ever holding a statement for long. A failure delays it by the longest retry
     * backoff and counts as a sink failure, so that a sink with nothing to write still notices a lost
     * Postgres.
     */
    private Duration purgeExpiredKeys() throws SQLException {
        int purged = IdempotencyKeyPurge.purge(dataSource, IdempotencyKeyPurge.ROWS_PER_CALL_MAX);
        if (purged > 0) {
            LOG.debug("purged {} expired idempotency keys", purged);
        }
        return purged == IdempotencyKeyPurge.ROWS_PER_CALL_MAX ? Duration.ZERO : KEY_PURGE_INTERVAL;
    }

    /**
     * Publishes a bounded page of unpublished dead letters to {@code kassa.dead-letter}: after a batch
     * with dead letters, at once while pages come back full, every {@link #DEAD_LETTER_RELAY_INTERVAL}
     * otherwise. A failure, or a row not acknowledged, only delays it by the longest retry backoff;
     * the sink's batches go on meanwhile.
     */
    private Duration relayDeadLetters() throws SQLException {
        int limit = DeadLetterOutbox.ROWS_PER_CALL_MAX;
        DeadLetterOutbox.Relayed relayed = DeadLetterOutbox.relay(dataSource, limit, deadLetterPublisher);
        if (relayed.published() < relayed.found()) {
            LOG.warn("{} of {} dead letters not published to {}; retrying later", relayed.found() - relayed.published(),
                    relayed.found(), Topics.DEAD_LETTER.name());
            return settings.retryBackoffMax();
        }
        if (relayed.published() > 0) {
            LOG.info("published {} dead letter(s) to {}", relayed.published(), Topics.DEAD_LETTER.name());
        }
        return relayed.leftRows(limit) ? Duration.ZERO : DEAD_LETTER_RELAY_INTERVAL;
    }

    /** Creates the coming days' table partitions now and then; a failure only delays it. */
    private Duration maintainPartitions() throws SQLException {
        LedgerPartitions.ensure(dataSource, LocalDate.now(ZoneOffset.UTC).minusDays(1), settings.partitionDaysAhead());
        return settings.partitionMaintenanceInterval();
    }

    private Duration retryLater(String what, Exception cause) {
        LOG.warn("{}; retrying later: {}", what, cause.toString());
        return settings.retryBackoffMax();
    }

    /** The loop has stopped, so no lane is being written: the writers' threads just go. */
    private void closeWriters() {
        if (writers != null) {
            writers.shutdown();
        }
    }

    private void closeConsumer() {
        try {
            consumer.close(CloseOptions.timeout(settings.closeTimeout()));
        } catch (RuntimeException e) {
            LOG.warn("closing the ledger sink's consumer failed", e);
        }
    }

    private void closeDeadLetterProducer() {
        try {
            deadLetterProducer.close(settings.closeTimeout());
        } catch (RuntimeException e) {
            LOG.warn("closing the ledger sink's dead-letter producer failed", e);
        }
    }

    /** Seeks every newly assigned partition from Postgres before a single record of it is written. */
    private final class SeekFromPostgres implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            joined = true;
            positions.assigned(partitions);
            consumer.pause(partitions);
            retry.dueNow();
            retry.runIfDue();
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Nothing to flush: each batch is committed before the next poll.
            positions.revoked(partitions);
            metrics.revoked(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            positions.revoked(partitions);
            metrics.revoked(partitions);
        }
    }
}
