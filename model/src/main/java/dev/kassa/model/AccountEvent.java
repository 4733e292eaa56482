package dev.kassa.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One event on {@code accounts.events}, keyed by account id. Accounts are opened through the topology
 * so that its balance store knows every account before a payment names it.
 */
public record AccountEvent(int schemaVersion, String eventId, Type type, Instant occurredAt, Account account) {

    /** The account lifecycle events. */
    public enum Type { AccountOpened }

    public static final int SCHEMA_VERSION = 1;

    public AccountEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(account, "account");
    }

    public static AccountEvent opened(Account account, Instant occurredAt) {
        return new AccountEvent(SCHEMA_VERSION, Ids.derived(Ids.EVENT, occurredAt, account.id() + ":opened"), Type.AccountOpened, occurredAt, account);
    }
}
