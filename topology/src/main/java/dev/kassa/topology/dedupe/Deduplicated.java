package dev.kassa.topology.dedupe;

import dev.kassa.model.Command;
import dev.kassa.model.CommandReplay;
import java.util.Objects;

/**
 * What the dedupe stage hands downstream for one command: the command itself when its key is new
 * (or its earlier use has expired), or a replay when the key was seen within the retention. Both are
 * keyed by the command key, which the stage does not change.
 */
public sealed interface Deduplicated permits Deduplicated.First, Deduplicated.Repeated {

    /** The first command with its key: on to {@code initiate}. */
    record First(Command command) implements Deduplicated {
        /** The suffix of this outcome's branch in {@code Topology#describe()}. */
        public static final String BRANCH = "first";

        public First {
            Objects.requireNonNull(command, "command");
        }
    }

    /** A repeated command, not executed: on to {@code payments.replays}. */
    record Repeated(CommandReplay replay) implements Deduplicated {
        /** The suffix of this outcome's branch in {@code Topology#describe()}. */
        public static final String BRANCH = "replays";

        public Repeated {
            Objects.requireNonNull(replay, "replay");
        }
    }
}
