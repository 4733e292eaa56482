package dev.kassa.topology.errors;

import dev.kassa.model.Command;

/**
 * An explicit hook through which tests make the topology fail on records they choose, the way a bug
 * or a record no check foresaw would, to prove that such a record is set aside rather than lost or
 * allowed to stop every payment. Production wiring uses {@link #NONE}.
 */
@FunctionalInterface
public interface FaultInjection {

    /** Injects nothing. */
    FaultInjection NONE = command -> { };

    /**
     * Called by the {@code initiate} stage before it executes {@code command}; throwing makes the
     * stage fail on that command.
     */
    void beforeInitiate(Command command);
}
