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
import java.util.function.Function;

/**
 * Looks idempotency keys up in the ledger in groups, as a database's group commit does: a request
 * whose key is looked up while no lookup runs runs its own at once, alone; the requests that arrive
 * while one runs queue, and the first of them, once it ends, looks all of them up in one query. At
 * idle nothing waits; under load one query and one connection serve many requests, instead of every
 * request paying a statement, a round trip and a turn at the connection pool (docs/architecture.md,
 * "The API's per-request work").
 *
 * <p>A failed query fails every request of its group with the same exception; the next group tries
 * again. Waiting is not interruptible: a request handed the lead must take it, or those queued
 * behind it would wait forever.
 */
final class KeyLookups {

    /** The most keys one query looks up; the rest wait for the next. */
    static final int GROUP_MAX = 256;

    /** What a waiting request is told: its answer, or that it leads the next group. */
    private static final Object LEAD = new Object();

    private final Function<Collection<MerchantKey>, Map<MerchantKey, KeyedPayment>> query;
    private final Deque<Pending> queued = new ArrayDeque<>();
    private boolean running;

    /** @param query finds the given keys' payments; a key it does not return is unknown */
    KeyLookups(Function<Collection<MerchantKey>, Map<MerchantKey, KeyedPayment>> query) {
        this.query = Objects.requireNonNull(query, "query");
    }

    /** The payment this merchant's key created, as far as the ledger keeps it; empty when unknown. */
    Optional<KeyedPayment> find(String merchantId, String idempotencyKey) {
        Pending mine = new Pending(new MerchantKey(merchantId, idempotencyKey));
        boolean lead;
        synchronized (this) {
            queued.addLast(mine);
            lead = !running;
            running = true;
        }
        if (!lead) {
            Object told = mine.told.join();
            if (told != LEAD) {
                return mine.answer();
            }
        }
        runGroup();
        return mine.answer();
    }

    /** Requests waiting for a group to look their keys up (not those of the group running). */
    synchronized int waiting() {
        return queued.size();
    }

    /** Looks up the queued keys (this request's first among them) and hands the lead on. */
    private void runGroup() {
        List<Pending> group = new ArrayList<>();
        synchronized (this) {
            while (!queued.isEmpty() && group.size() < GROUP_MAX) {
                group.add(queued.pollFirst());
            }
        }
        try {
            List<MerchantKey> keys = group.stream().map(Pending::key).distinct().toList();
            Map<MerchantKey, KeyedPayment> found = query.apply(keys);
            group.forEach(pending -> pending.answer(Optional.ofNullable(found.get(pending.key()))));
        } catch (RuntimeException | Error e) {
            group.forEach(pending -> pending.fail(e));
        } finally {
            Pending next;
            synchronized (this) {
                next = queued.peekFirst();
                running = next != null;
            }
            if (next != null) {
                next.told.complete(LEAD);
            }
        }
    }

    /** One request's lookup: told either its answer or that it leads. */
    private static final class Pending {

        private final MerchantKey key;
        private final CompletableFuture<Object> told = new CompletableFuture<>();
        private Optional<KeyedPayment> answer;
        private Throwable failure;

        Pending(MerchantKey key) {
            this.key = key;
        }

        MerchantKey key() {
            return key;
        }

        void answer(Optional<KeyedPayment> found) {
            answer = found;
            told.complete(found);
        }

        void fail(Throwable e) {
            failure = e;
            told.complete(e);
        }

        /** The answer; only after it was given (the future's completion publishes the fields). */
        Optional<KeyedPayment> answer() {
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            return answer;
        }
    }
}
