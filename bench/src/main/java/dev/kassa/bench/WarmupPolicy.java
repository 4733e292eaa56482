package dev.kassa.bench;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a run's warmup lasts: at least its {@link RunSpec#warmup()}, and then on, a
 * {@link #WINDOW} at a time, for as long as the JIT compilers' threads used more than
 * {@link #QUIET_SHARE} of the machine over the last window, up to {@code longest} in all.
 *
 * <p>Every system under test shares the bench's JVM, and the compilers keep working for minutes after
 * the hot paths are compiled: the command's first run measured 0.29 ms of JIT compiling per payment
 * after a fixed 240 s warmup, its third 0.05 ms (docs/benchmarks.md). A fixed warmup either leaves
 * that in the first window or wastes time on the later runs; this one ends when the compilers have
 * settled, and says how long it took. It is the same rule for Kassa and the baseline.
 *
 * @param longest the most a warmup lasts; at most {@link RunSpec#warmup()} means no extension
 */
public record WarmupPolicy(Duration longest) {

    /** The compilers' share of the machine (all its CPUs) below which a warmup may end. */
    public static final double QUIET_SHARE = 0.03;
    /** The load between two looks at the compilers, and the window each look measures. */
    public static final Duration WINDOW = Duration.ofSeconds(10);
    /** Warmups of exactly {@link RunSpec#warmup()}. */
    public static final WarmupPolicy FIXED = new WarmupPolicy(Duration.ZERO);

    public WarmupPolicy {
        Objects.requireNonNull(longest, "longest");
        if (longest.isNegative()) {
            throw new IllegalArgumentException("longest must not be negative: " + longest);
        }
    }

    /**
     * Whether to send another {@link #WINDOW} of warmup load after {@code warmedUp} of it, when the
     * compilers used {@code jitShare} of the machine over the last window ({@code NaN} when the JVM
     * cannot tell, which ends the warmup).
     */
    public boolean another(Duration warmedUp, double jitShare) {
        return jitShare > QUIET_SHARE && warmedUp.plus(WINDOW).compareTo(longest) <= 0;
    }
}
