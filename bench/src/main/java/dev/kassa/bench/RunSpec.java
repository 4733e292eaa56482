package dev.kassa.bench;

import java.time.Duration;
import java.util.Objects;

/**
 * One run: a scenario against one system, its load mode and its sizes.
 *
 * @param baseline        drive the seed's naive design instead of Kassa
 * @param ratePerSecond   operations per second in an open loop; 0 for a closed loop
 * @param connections     closed loop: concurrent connections; open loop: the most requests in flight
 * @param duration        how long load is sent (setup and drain not included)
 * @param sources         funded source accounts
 * @param destinations    destination accounts (unused by a flash sale)
 * @param clientTimeout   retry storm: how long the impatient first attempts wait
 * @param requestTimeout  every other request's timeout
 * @param drainTimeout    how long to wait after the load for the ledger to catch up
 * @param warmup          untimed load of the same shape before the measured window, on a fixture of
 *                        its own, so that the JIT has compiled the hot paths (of the system under test
 *                        and the harness) before anything is measured; zero for none
 */
public record RunSpec(Scenario scenario, boolean baseline, double ratePerSecond, int connections, Duration duration,
                      int sources, int destinations, Duration clientTimeout, Duration requestTimeout,
                      Duration drainTimeout, Duration warmup) {

    public RunSpec {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(clientTimeout, "clientTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        Objects.requireNonNull(warmup, "warmup");
        if (ratePerSecond < 0 || connections < 1 || sources < 1 || destinations < 1 || duration.isNegative()
                || duration.isZero() || warmup.isNegative()) {
            throw new IllegalArgumentException("a run needs a non-negative rate, a positive duration and at least"
                    + " one connection, source and destination: " + this);
        }
    }

    public boolean openLoop() {
        return ratePerSecond > 0;
    }

    /** e.g. {@code flash-sale} or {@code baseline-flash-sale}. */
    public String label() {
        return (baseline ? "baseline-" : "") + scenario.cliName();
    }

    public String mode() {
        return openLoop() ? String.format("open loop %,.0f/s (≤%d in flight)", ratePerSecond, connections)
                : "closed loop, " + connections + " connections";
    }

    public RunSpec asBaseline() {
        return new RunSpec(scenario, true, ratePerSecond, connections, duration, sources, destinations, clientTimeout,
                requestTimeout, drainTimeout, warmup);
    }

    /** This run for {@code length} instead of its duration. */
    public RunSpec withDuration(Duration length) {
        return new RunSpec(scenario, baseline, ratePerSecond, connections, length, sources, destinations,
                clientTimeout, requestTimeout, drainTimeout, warmup);
    }

    /** The warmup of this run: the same load for {@link #warmup()}, itself without a warmup. */
    public RunSpec warmupRun() {
        return new RunSpec(scenario, baseline, ratePerSecond, connections, warmup, sources, destinations,
                clientTimeout, requestTimeout, drainTimeout, Duration.ZERO);
    }
}
