/**
 * Kassa's ledger: the events of {@code payments.events} and {@code accounts.events} written to the
 * Postgres double-entry ledger together with the offsets they were read at.
 *
 * <p>This package holds the batch that travels from the consumer ({@code dev.kassa.ledger.sink}) to
 * the writer ({@code dev.kassa.ledger.postgres}); {@code dev.kassa.ledger.verify} checks the
 * ledger's invariants in SQL.
 */
package dev.kassa.ledger;
