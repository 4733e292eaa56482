package dev.kassa.ledger;

import org.apache.kafka.common.TopicPartition;

/**
 * One consumed record as the ledger writer sees it: a decoded event, or a record that could not be
 * decoded (or an event that breaks a ledger invariant) and goes to {@code dead_letters}. Every record knows where it was read, so the writer can
 * store the offsets it consumed in the same transaction as the rows it produced.
 */
public sealed interface LedgerRecord permits PaymentEventRecord, AccountEventRecord, DeadLetterRecord {

    /** The partition the record was read from. */
    TopicPartition partition();

    /** The record's offset in {@link #partition()}. */
    long offset();

    /**
     * An upper bound on the rows this record writes, used to bound the rows of one Postgres
     * transaction.
     */
    int rowsMax();
}
