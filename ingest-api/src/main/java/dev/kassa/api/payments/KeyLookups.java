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
 * queries run one after another on a thread of {@code runner} for as long as keys keep queueing.
 * Each future is completed on that thread, so what a caller chains to it runs there, between two
 * queries, and must not block. A failed query fails every lookup of its group with the same
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
            try {
                runner.execute(this::runGroups);
            } catch (RuntimeException e) {
                // No thread to run it (the API is closing): fail what queued, and let the next lookup try.
                failQueued(e);
            }
        }
        return mine.answer;
    }

    /** Lookups queued for a group (not those of the group running). */
    synchronized int waiting() {
        return queued.size();
    }

    /** Runs a query per group of queued keys until none is left. */
    private void runGroups() {
        while (true) {
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
            Map<MerchantKey, KeyedPayment> found;
            try {
                found = query.apply(group.stream().map(Pending::key).distinct().toList());
            } catch (RuntimeException | Error e) {
                group.forEach(pending -> pending.answer.completeExceptionally(e));
                continue;
            }
            group.forEach(pending -> pending.answer.complete(Optional.ofNullable(found.get(pending.key()))));
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
