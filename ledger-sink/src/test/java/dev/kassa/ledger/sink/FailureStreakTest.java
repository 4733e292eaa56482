package dev.kassa.ledger.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FailureStreakTest {

    private final FailureStreak streak = new FailureStreak(3);

    @Test
    void sinkTurnsUnhealthyAtTheBoundOfFailuresInARow() {
        assertThat(streak.isHealthy()).isTrue();
        assertThat(streak.isClear()).isTrue();
        assertThat(streak.failed()).isEqualTo(1);
        assertThat(streak.isClear()).isFalse();
        assertThat(streak.failed()).isEqualTo(2);
        assertThat(streak.isHealthy()).isTrue();
        assertThat(streak.failed()).isEqualTo(3);
        assertThat(streak.isHealthy()).isFalse();
    }

    @Test
    void lostPostgresStreakEndsAtTheFirstSuccessfulSeek() {
        // Plan: seeks and chores fail while Postgres is away; the first seek that reads the offsets
        // again must end the streak, healthy and clear (ready) at once.
        streak.failed();
        streak.failed();
        streak.failed();

        streak.sought();

        assertThat(streak.isHealthy()).isTrue();
        assertThat(streak.isClear()).isTrue();
    }

    @Test
    void batchThatKeepsFailingKeepsTheSinkUnhealthyHoweverOftenItsSeeksSucceed() {
        // Plan: a batch fails, the seek after it succeeds, the batch fails again, three times over. A
        // seek must not end a streak that includes a failed batch: only a committed batch does.
        for (int round = 1; round <= 3; round++) {
            assertThat(streak.batchFailed()).isEqualTo(round);
            streak.sought();
        }
        assertThat(streak.isHealthy()).isFalse();
        assertThat(streak.isClear()).isFalse();

        streak.batchCommitted();

        assertThat(streak.isHealthy()).isTrue();
        assertThat(streak.isClear()).isTrue();
        streak.failed();
        streak.sought();
        assertThat(streak.isClear()).as("a committed batch ends the batch streak for good").isTrue();
    }

    @Test
    void boundBelowOneIsRefused() {
        assertThatThrownBy(() -> new FailureStreak(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
