package dev.kassa.api.health;

import java.time.Duration;

/** One dependency's reachability check for {@code /ready}. */
public interface ComponentCheck {

    /** The component's name in the readiness report, e.g. {@code kafka}. */
    String name();

    /** Returns normally when the component answered within {@code timeout}; throws otherwise. */
    void check(Duration timeout) throws Exception;

    /** Whether the API is unready without this component; an optional one only degrades it. */
    default boolean essential() {
        return true;
    }
}
