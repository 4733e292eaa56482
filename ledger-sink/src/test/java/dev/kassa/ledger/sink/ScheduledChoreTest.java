package dev.kassa.ledger.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ScheduledChoreTest {

    // Near the wrap of a signed long: deadlines must be compared by difference, never by value.
    private final AtomicLong clock = new AtomicLong(Long.MAX_VALUE - 5_000);

    @Test
    void choreIsDueAtOnceThenWhenItsRunSays() {
        Deque<Duration> answers = new ArrayDeque<>(List.of(Duration.ofNanos(10_000), Duration.ZERO));
        AtomicInteger runs = new AtomicInteger();
        ScheduledChore chore = new ScheduledChore("test", () -> {
            runs.incrementAndGet();
            return answers.pop();
        }, e -> Duration.ofDays(1), clock::get);

        assertThat(chore.runIfDue()).isTrue();
        assertThat(chore.runIfDue()).isFalse();
        clock.addAndGet(9_999);
        assertThat(chore.runIfDue()).isFalse();
        clock.addAndGet(1);
        assertThat(chore.runIfDue()).as("due 10 µs after its run, across the wrap of nanoTime").isTrue();
        assertThat(chore.runIfDue()).as("a run with more to do is due again at once").isTrue();
        assertThat(runs).hasValue(3);
    }

    @Test
    void failedRunIsHandledAndDelaysTheChoreAsTheHandlerSays() {
        List<Exception> handled = new ArrayList<>();
        IllegalStateException failure = new IllegalStateException("Postgres is away");
        ScheduledChore chore = new ScheduledChore("test", () -> {
            throw failure;
        }, e -> {
            handled.add(e);
            return Duration.ofNanos(500);
        }, clock::get);

        assertThat(chore.runIfDue()).isTrue();

        assertThat(handled).containsExactly(failure);
        assertThat(chore.untilDue()).isEqualTo(Duration.ofNanos(500));
        assertThat(chore.runIfDue()).isFalse();
        chore.dueNow();
        assertThat(chore.runIfDue()).isTrue();
        assertThat(handled).hasSize(2);
    }

    @Test
    void choreThreadRunsAChoreMadeDueLongBeforeItsInterval() {
        // Plan: a chore whose interval is an hour runs once at start; made due from another thread,
        // as the loop does after a batch with dead letters, it must run again without waiting the hour.
        AtomicInteger runs = new AtomicInteger();
        ScheduledChore chore = new ScheduledChore("relay", () -> {
            runs.incrementAndGet();
            return Duration.ofHours(1);
        }, e -> Duration.ofHours(1));
        ChoreThread thread = new ChoreThread("test-chores", List.of(chore));
        thread.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() == 1);

            thread.runSoon(chore);

            await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() == 2);
        } finally {
            thread.close(Duration.ofSeconds(10));
        }
    }
}
