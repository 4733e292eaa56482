package dev.kassa.api.health;

/** Answers {@code /ready}: are the API's dependencies reachable right now. */
@FunctionalInterface
public interface Readiness {

    ReadinessReport check();
}
