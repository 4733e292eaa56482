package dev.kassa.processor.sim;

import java.util.Random;

/**
 * The random choices of fault injection, from one seeded generator: the same seed and the same
 * sequence of requests inject the same faults. Every roll draws once, whatever the rate, so that
 * changing one rate does not shift the others' draws.
 */
final class FaultDice {

    private final Random random;

    FaultDice(long seed) {
        this.random = new Random(seed);
    }

    /** True with probability {@code rate}. */
    synchronized boolean roll(Rate rate) {
        return random.nextInt(Rate.SCALE) < rate.basisPoints();
    }

    /** 500 or 503, evenly: the two statuses an overloaded or broken processor answers. */
    synchronized int serverErrorStatus() {
        return random.nextBoolean() ? 500 : 503;
    }
}
