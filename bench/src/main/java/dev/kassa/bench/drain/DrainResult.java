package dev.kassa.bench.drain;

import dev.kassa.ledger.verify.InvariantResult;
import dev.kassa.ledger.verify.LedgerVerifier;
import java.util.List;

/**
 * What a {@link SinkDrain} measured.
 *
 * @param sinks             sink instances that shared the replay, in one consumer group
 * @param events            events the replaying sink applied (rows of {@code applied_events})
 * @param ledgerEntries     ledger entries it wrote
 * @param seconds           from the sink's start until its offsets equal the live sink's (or the timeout)
 * @param firstBatchSeconds from the sink's start until its first batch committed (joining the group, the
 *                          first fetch); -1 if none did
 * @param caughtUp          whether it reached the live sink's offsets
 * @param differences       what the replayed ledger holds differently from the live one; empty when equal
 * @param verifier          {@code kassa ledger verify}'s checks on the replayed ledger
 */
public record DrainResult(int sinks, long events, long ledgerEntries, double seconds, double firstBatchSeconds, boolean caughtUp,
                          List<String> differences, List<InvariantResult> verifier) {

    public DrainResult {
        differences = List.copyOf(differences);
        verifier = List.copyOf(verifier);
    }

    public double entriesPerSecond() {
        return seconds > 0 ? ledgerEntries / seconds : 0;
    }

    public double eventsPerSecond() {
        return seconds > 0 ? events / seconds : 0;
    }

    /** Caught up, the same ledger as the live one, and every invariant holds. */
    public boolean holds() {
        return caughtUp && differences.isEmpty() && !verifier.isEmpty() && LedgerVerifier.allHold(verifier);
    }
}
