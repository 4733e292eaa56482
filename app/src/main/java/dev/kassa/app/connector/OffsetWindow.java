package dev.kassa.app.connector;

import java.util.TreeSet;

/**
 * What the connector read of one {@code card.charges} partition and has not answered yet. Answers come
 * back in any order, so that one slow charge holds none of the others; the offset the connector may
 * commit is the lowest one still open (every request before it is answered), or one past the highest
 * read when none is open. Requests between that offset and the highest read that were answered already
 * are made again after a crash, with the same idempotency keys (docs/architecture.md, Card payments).
 */
final class OffsetWindow {

    private final TreeSet<Long> open = new TreeSet<>();
    private long next = -1;
    private long committed = -1;

    /**
     * A request read at {@code offset}, now open until {@link #answered}. The first one read is where the
     * group's committed offset already stands: nothing to commit until it is answered.
     */
    void read(long offset) {
        if (next < 0) {
            committed = offset;
        }
        open.add(offset);
        next = Math.max(next, offset + 1);
    }

    /** The request at {@code offset} is answered; false when it was not open (answered before, or never read). */
    boolean answered(long offset) {
        return open.remove(offset);
    }

    /** Requests read and not answered. */
    int openCount() {
        return open.size();
    }

    /** The offset to commit: the lowest open request, or one past the highest read; -1 before any read. */
    long committable() {
        return open.isEmpty() ? next : open.first();
    }

    /** Requests read past the committable offset: what a crash now would make the connector read again. */
    long uncommitted() {
        return next < 0 ? 0 : next - committable();
    }

    /** Whether {@link #committable()} moved past what was last {@link #committed}. */
    boolean advanced() {
        return committable() > committed;
    }

    void committed(long offset) {
        committed = Math.max(committed, offset);
    }
}
