package dev.kassa.ledger.postgres;

/**
 * What one committed batch did.
 *
 * @param eventsApplied events whose rows were written
 * @param eventsSkipped events found in {@code applied_events} already (or twice in the batch), skipped
 * @param entriesBooked ledger entries inserted
 * @param deadLetters   records written to {@code dead_letters}
 */
public record WriteResult(int eventsApplied, int eventsSkipped, int entriesBooked, int deadLetters) {

    /** The result of a batch without records. */
    public static final WriteResult NOTHING = new WriteResult(0, 0, 0, 0);
}
