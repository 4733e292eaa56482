package dev.kassa.api.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kassa.api.payments.PaymentStore.KeyedPayment;
import dev.kassa.api.payments.PaymentStore.MerchantKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The grouping of key lookups, against a ledger stand-in that records each query it is asked and can
 * hold one back (the SQL itself runs against real Postgres in {@code PaymentStoreKeysIT}): alone, a
 * lookup runs at once; those arriving while one runs are looked up together in the next query, each
 * answered its own key; a failure fails its group only; a caller's continuation that blocks holds up
 * its own group, not the next query. Nobody waits but the test: each lookup is a future, completed on
 * the thread that ran its query.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KeyLookupsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Map<MerchantKey, KeyedPayment> ledger = new ConcurrentHashMap<>();
    private final List<List<MerchantKey>> queries = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstQueryMayEnd = new CountDownLatch(1);
    private final AtomicBoolean holdFirstQuery = new AtomicBoolean();
    private final AtomicBoolean failNextQuery = new AtomicBoolean();
    /** Where the lookups' queries run. */
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final KeyLookups lookups = new KeyLookups(this::query, threads);

    private Map<MerchantKey, KeyedPayment> query(Collection<MerchantKey> keys) {
        queries.add(List.copyOf(keys));
        if (queries.size() == 1 && holdFirstQuery.get()) {
            awaitOrFail(firstQueryMayEnd);
        }
        if (failNextQuery.getAndSet(false)) {
            throw new IllegalStateException("the ledger is down");
        }
        Map<MerchantKey, KeyedPayment> found = new HashMap<>();
        keys.forEach(key -> {
            if (ledger.containsKey(key)) {
                found.put(key, ledger.get(key));
            }
        });
        return found;
    }

    private static void awaitOrFail(CountDownLatch latch) {
        try {
            assertThat(latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void aLookupAloneRunsAtOnceWithItsKeyOnly() throws Exception {
        ledger.put(new MerchantKey("mer_a", "k1"), new KeyedPayment("pay_1", "fp1"));

        assertThat(lookups.find("mer_a", "k1").get(WAIT.toSeconds(), TimeUnit.SECONDS)).contains(new KeyedPayment("pay_1", "fp1"));
        assertThat(lookups.find("mer_b", "k1").get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEmpty();
        assertThat(queries).containsExactly(List.of(new MerchantKey("mer_a", "k1")), List.of(new MerchantKey("mer_b", "k1")));
    }

    @Test
    void lookupsArrivingWhileOneRunsAreGroupedIntoTheNextQuery() throws Exception {
        for (int i = 0; i < 5; i++) {
            ledger.put(new MerchantKey("mer_a", "waiting-" + i), new KeyedPayment("pay_" + i, "fp" + i));
        }
        holdFirstQuery.set(true);
        CompletableFuture<Optional<KeyedPayment>> first = lookups.find("mer_a", "first");
        await().atMost(WAIT).until(() -> queries.size() == 1);
        List<CompletableFuture<Optional<KeyedPayment>>> waiting = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String key = i < 5 ? "waiting-" + i : "unknown";
            waiting.add(lookups.find("mer_a", key));
        }
        await().atMost(WAIT).until(() -> lookups.waiting() == 6);

        firstQueryMayEnd.countDown();

        assertThat(first.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEmpty();
        for (int i = 0; i < 5; i++) {
            assertThat(waiting.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS)).contains(new KeyedPayment("pay_" + i, "fp" + i));
        }
        assertThat(waiting.get(5).get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEmpty();
        assertThat(queries).hasSize(2);
        assertThat(queries.get(1)).containsExactlyInAnyOrder(new MerchantKey("mer_a", "waiting-0"), new MerchantKey("mer_a", "waiting-1"),
                new MerchantKey("mer_a", "waiting-2"), new MerchantKey("mer_a", "waiting-3"), new MerchantKey("mer_a", "waiting-4"),
                new MerchantKey("mer_a", "unknown"));
        assertThat(lookups.waiting()).isZero();
    }

    @Test
    void aGroupHoldsAtMostTheMaximumAndTheRestFollow() throws Exception {
        holdFirstQuery.set(true);
        CompletableFuture<Optional<KeyedPayment>> first = lookups.find("mer_a", "first");
        await().atMost(WAIT).until(() -> queries.size() == 1);
        int behind = KeyLookups.GROUP_MAX + 44;
        List<CompletableFuture<Optional<KeyedPayment>>> waiting = new ArrayList<>();
        for (int i = 0; i < behind; i++) {
            String key = "k" + i;
            waiting.add(lookups.find("mer_a", key));
        }
        await().atMost(WAIT).until(() -> lookups.waiting() == behind);

        firstQueryMayEnd.countDown();

        first.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        for (CompletableFuture<Optional<KeyedPayment>> lookup : waiting) {
            assertThat(lookup.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEmpty();
        }
        assertThat(queries).extracting(List::size).containsExactly(1, KeyLookups.GROUP_MAX, 44);
    }

    @Test
    void oneKeyAskedTwiceInAGroupIsQueriedOnceAndAnswersBoth() throws Exception {
        ledger.put(new MerchantKey("mer_a", "twice"), new KeyedPayment("pay_2", "fp"));
        holdFirstQuery.set(true);
        CompletableFuture<Optional<KeyedPayment>> first = lookups.find("mer_a", "first");
        await().atMost(WAIT).until(() -> queries.size() == 1);
        CompletableFuture<Optional<KeyedPayment>> one = lookups.find("mer_a", "twice");
        CompletableFuture<Optional<KeyedPayment>> other = lookups.find("mer_a", "twice");
        await().atMost(WAIT).until(() -> lookups.waiting() == 2);

        firstQueryMayEnd.countDown();

        first.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(one.get(WAIT.toSeconds(), TimeUnit.SECONDS)).contains(new KeyedPayment("pay_2", "fp"));
        assertThat(other.get(WAIT.toSeconds(), TimeUnit.SECONDS)).contains(new KeyedPayment("pay_2", "fp"));
        assertThat(queries.get(1)).containsExactly(new MerchantKey("mer_a", "twice"));
    }

    @Test
    void aContinuationThatBlocksDelaysItsOwnGroupOnlyNeverTheNextQuery() throws Exception {
        holdFirstQuery.set(true);
        CountDownLatch continuationMayEnd = new CountDownLatch(1);
        CompletableFuture<Optional<KeyedPayment>> first = lookups.find("mer_a", "first");
        // What a caller chains runs on the thread that answers its group: here it blocks, as a send
        // waiting for Kafka's metadata would.
        CompletableFuture<Void> blocked = first.thenRun(() -> awaitOrFail(continuationMayEnd));
        await().atMost(WAIT).until(() -> queries.size() == 1);
        CompletableFuture<Optional<KeyedPayment>> waiting = lookups.find("mer_a", "waiting");
        await().atMost(WAIT).until(() -> lookups.waiting() == 1);

        firstQueryMayEnd.countDown();

        assertThat(waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEmpty();
        assertThat(first).isDone();
        assertThat(blocked).isNotDone();
        continuationMayEnd.countDown();
        blocked.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(queries).containsExactly(List.of(new MerchantKey("mer_a", "first")),
                List.of(new MerchantKey("mer_a", "waiting")));
    }

    @Test
    void aFailedQueryFailsItsGroupOnlyAndTheNextOneRuns() throws Exception {
        holdFirstQuery.set(true);
        CompletableFuture<Optional<KeyedPayment>> first = lookups.find("mer_a", "first");
        await().atMost(WAIT).until(() -> queries.size() == 1);
        CompletableFuture<Optional<KeyedPayment>> waiting = lookups.find("mer_a", "waiting");
        await().atMost(WAIT).until(() -> lookups.waiting() == 1);
        failNextQuery.set(true);

        firstQueryMayEnd.countDown();

        assertThatThrownBy(() -> first.get(WAIT.toSeconds(), TimeUnit.SECONDS)).hasRootCauseMessage("the ledger is down");
        assertThat(waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEmpty();
        ledger.put(new MerchantKey("mer_a", "later"), new KeyedPayment("pay_3", "fp"));
        assertThat(lookups.find("mer_a", "later").get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .contains(new KeyedPayment("pay_3", "fp"));
        failNextQuery.set(true);
        assertThatThrownBy(() -> lookups.find("mer_a", "again").get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .hasRootCauseInstanceOf(IllegalStateException.class).hasRootCauseMessage("the ledger is down");
        assertThat(lookups.find("mer_a", "later").get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .contains(new KeyedPayment("pay_3", "fp"));
    }
}
