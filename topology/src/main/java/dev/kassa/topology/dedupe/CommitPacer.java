package dev.kassa.topology.dedupe;

/**
 * Decides when a task asks Kafka Streams to commit at once instead of at the end of the commit
 * interval. Every commit is a transaction whose fixed cost (markers, coordinator round trips, a
 * flush) is shared by the payments it carries, so under load commits should carry many; but a
 * payment is answered only once its transaction commits, so a lone payment should not wait out the
 * interval. The pacer tells the two apart by the commands' own timestamps (the API's clock when it
 * accepted each, so a replay after a crash paces the same way): a command that arrives when fewer
 * than {@link #QUIET_COMMANDS} commands were accepted in the {@link #QUIET_WINDOW_MS} ms before it asks
 * for a commit at once; denser traffic leaves it to the interval (docs/architecture.md, Commits).
 *
 * <p>Asking is only ever earlier, never later or fewer: a commit is always safe under exactly-once,
 * so the pacer changes latency and cost, not a single guarantee. One pacer per task, used by one
 * stream thread.
 */
final class CommitPacer {

    /** Fewer commands than this within {@link #QUIET_WINDOW_MS} before a command make it commit at once. */
    static final int QUIET_COMMANDS = 50;

    /**
     * The look-back window, in the commands' time: 50 commands/s on one task. Longer than a commit
     * cycle under load, so that the pause between two bursts of a loaded gateway (clients answered by
     * one commit send their next payments together) does not count as quiet: measured with a 50 ms
     * window, those pauses made every burst commit at once, 43 commits/s instead of 12.
     */
    static final long QUIET_WINDOW_MS = 1_000;

    /** The timestamps of the latest {@link #QUIET_COMMANDS} commands; {@code oldest} indexes the earliest. */
    private final long[] recent = new long[QUIET_COMMANDS];
    private int oldest;
    private int seen;

    /**
     * Records a command accepted at {@code timestampMs} and says whether its task should commit as
     * soon as it has processed it.
     */
    boolean commitNow(long timestampMs) {
        boolean quiet = seen < QUIET_COMMANDS || timestampMs - recent[oldest] > QUIET_WINDOW_MS;
        recent[oldest] = timestampMs;
        oldest = (oldest + 1) % QUIET_COMMANDS;
        seen = Math.min(seen + 1, QUIET_COMMANDS);
        return quiet;
    }
}
