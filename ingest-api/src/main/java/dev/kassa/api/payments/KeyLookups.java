package dev.kassa.api.payments;

import dev.kassa.api.payments.PaymentStore.KeyedPayment;
import dev.kassa.api.payments.PaymentStore.MerchantKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Looks idempotency keys up in the ledger in groups, as a database's group commit does: a key asked
 * for while no lookup runs is looked up at once, alone; the keys asked for while one runs queue, and
 * the next query looks all of them up together. At idle nothing waits; under load one query and one
 * connection serve many requests, instead of every request paying a statement, a round trip and a
 * turn at the connection pool (docs/architecture.md, "The API's per-request work").
 *
 * <p>Nobody's thread waits for a lookup: {@link #find} queues the key and returns a future, and the
 * queries run one after another, each on a thread of {@code runner}, for as long as keys keep queueing.
 * A group's futures are completed on the thread that ran its query, after the next group's query was
 * handed to another thread: what a caller chains to its future runs there and should not block, and
 * when it does (a send waiting for Kafka's metadata, an account read from Postgres) it delays its own
 * group only, never the next query. A failed query fails every lookup of its group with the same
 * exception; the next group tries again.
 */
final class KeyLookups {

    /** The most keys one query looks up; the rest wait for the next. */
    static final int GROUP_MAX = 256;

    private final Function<Collection<MerchantKey>, Map<MerchantKey, KeyedPayment>> query;
    private final Executor runner;
    private final Deque<Pending> queued = new ArrayDeque<>();
    private boolean running;

    /**
     * @param query  finds the given keys' payments; a key it does not return is unknown
     * @param runner where the queries run
     */
    KeyLookups(Function<Collection<MerchantKey>, Map<MerchantKey, KeyedPayment>> query, Executor runner) {
        this.query = Objects.requireNonNull(query, "query");
        this.runner = Objects.requireNonNull(runner, "runner");
    }

    /**
     * The payment this merchant's key created, as far as the ledger keeps it; empty when unknown.
     * Completes on the thread that ran the query.
     */
    CompletableFuture<Optional<KeyedPayment>> find(String merchantId, String idempotencyKey) {
        Pending mine = new Pending(new MerchantKey(merchantId, idempotencyKey));
        boolean start;
        synchronized (this) {
            queued.addLast(mine);
            start = !running;
            running = true;
        }
        if (start) {
            start();
        }
        return mine.answer;
    }

    /** Lookups queued for a group (not those of the group running). */
    synchronized int waiting() {
        return queued.size();
    }

    /**
     * Runs the query of the next group of queued keys, hands the group after it to another thread, then
     * answers this group's lookups.
     */
    private void runGroups() {
        List<Pending> group = new ArrayList<>();
        synchronized (this) {
            while (!queued.isEmpty() && group.size() < GROUP_MAX) {
                group.add(queued.pollFirst());
            }
            if (group.isEmpty()) {
                running = false;
                return;
            }
        }
        Map<MerchantKey, KeyedPayment> found = null;
        Throwable failure = null;
        try {
            found = query.apply(group.stream().map(Pending::key).distinct().toList());
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        next();
        for (Pending pending : group) {
            if (failure != null) {
                pending.answer.completeExceptionally(failure);
            } else {
                pending.answer.complete(Optional.ofNullable(found.get(pending.key())));
            }
        }
    }

    /** The next group's query on another thread of {@link #runner}, if keys are queued; else no query runs. */
    private void next() {
        synchronized (this) {
            if (queued.isEmpty()) {
                running = false;
                return;
            }
        }
        start();
    }

    /** The next group's query on a thread of {@link #runner}. */
    private void start() {
        try {
            runner.execute(this::runGroups);
        } catch (RuntimeException e) {
            // No thread to run it (the API is closing): fail what queued, and let the next lookup try.
            failQueued(e);
        }
    }

    private void failQueued(RuntimeException e) {
        List<Pending> failed;
        synchronized (this) {
            failed = new ArrayList<>(queued);
            queued.clear();
            running = false;
        }
        failed.forEach(pending -> pending.answer.completeExceptionally(e));
    }

    /** One request's lookup and its answer. */
    private record Pending(MerchantKey key, CompletableFuture<Optional<KeyedPayment>> answer) {

        Pending(MerchantKey key) {
            this(key, new CompletableFuture<>());
        }
    }
}
