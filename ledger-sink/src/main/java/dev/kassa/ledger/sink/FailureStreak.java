package dev.kassa.ledger.sink;

/**
 * The sink's failures in a row, and what they make of its health: a sink is unhealthy once
 * {@code unhealthyAfter} failures follow one another. A streak that includes a failed batch ends only
 * when a batch commits, so that a batch failing again and again keeps the sink unhealthy however
 * often Postgres answers its seeks; a streak of seek or chore failures alone (Postgres away) ends as
 * soon as a seek succeeds. Written by the sink's loop only; read from any thread.
 */
final class FailureStreak {

    private final int unhealthyAfter;
    private volatile int failures;
    private volatile boolean includesBatch;

    /** @param unhealthyAfter failures in a row from which the sink reports itself unhealthy; at least 1 */
    FailureStreak(int unhealthyAfter) {
        if (unhealthyAfter < 1) {
            throw new IllegalArgumentException("unhealthyAfter must be at least 1: " + unhealthyAfter);
        }
        this.unhealthyAfter = unhealthyAfter;
    }

    /** A batch failed (rolled back): the streak goes on until a batch commits. Returns the failures in a row. */
    int batchFailed() {
        includesBatch = true;
        return failed();
    }

    /** A seek, a poll or a chore on Postgres failed. Returns the failures in a row. */
    int failed() {
        failures = failures + 1 < 0 ? Integer.MAX_VALUE : failures + 1;
        return failures;
    }

    /** A batch committed: whatever failed before, the sink writes again. */
    void batchCommitted() {
        failures = 0;
        includesBatch = false;
    }

    /** The stored offsets were read again: Postgres is back, which ends a streak without a failed batch. */
    void sought() {
        if (!includesBatch) {
            failures = 0;
        }
    }

    /** True while no failure is in the streak. */
    boolean isClear() {
        return failures == 0;
    }

    /** True while the failures in a row are fewer than the bound. */
    boolean isHealthy() {
        return failures < unhealthyAfter;
    }
}
