package dev.kassa.app.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daily run of reconciliation inside a service ({@code kassa connector --reconcile-daily},
 * {@code kassa dev}): every UTC day at midnight plus {@code delay} (the processor's report of a day
 * is complete some time after it ends), it reconciles the day before. At start, when today's time has
 * passed and yesterday was never reconciled, it runs at once. A failed run is logged and left to the
 * next day or to an operator's {@code kassa reconcile}; it never stops the service.
 */
public final class DailyReconciliation implements AutoCloseable {

    /** The default wait after midnight UTC before the previous day is reconciled. */
    public static final Duration DELAY_DEFAULT = Duration.ofHours(1);
    /** The longest delay: within the day after. */
    public static final Duration DELAY_MAX = Duration.ofHours(23);

    private static final Logger LOG = LoggerFactory.getLogger(DailyReconciliation.class);

    private final Reconciler reconciler;
    private final Duration delay;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;

    private DailyReconciliation(Reconciler reconciler, Duration delay, Clock clock) {
        this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
        this.delay = requireDelay(delay);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "kassa-daily-reconciliation");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts the daily run on a thread of its own. */
    public static DailyReconciliation start(Reconciler reconciler, Duration delay, Clock clock) {
        DailyReconciliation daily = new DailyReconciliation(reconciler, delay, clock);
        daily.scheduler.execute(daily::catchUp);
        return daily;
    }

    /** {@code delay} when it is between 0 and {@link #DELAY_MAX}. */
    public static Duration requireDelay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative() || delay.compareTo(DELAY_MAX) > 0) {
            throw new IllegalArgumentException("reconcile delay must be between 0 and " + DELAY_MAX + "; got " + delay);
        }
        return delay;
    }

    /** When the run of the day before {@code day} is due: {@code day}'s midnight UTC plus the delay. */
    static Instant due(LocalDate day, Duration delay) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant().plus(delay);
    }

    private void catchUp() {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        try {
            if (!clock.instant().isBefore(due(today, delay)) && !reconciler.reconciled(today.minusDays(1))) {
                reconcile(today.minusDays(1));
            }
        } catch (java.sql.SQLException | RuntimeException e) {
            LOG.error("daily reconciliation: cannot tell whether {} was reconciled", today.minusDays(1), e);
        }
        scheduleAfter(today);
    }

    private void scheduleAfter(LocalDate today) {
        LocalDate next = clock.instant().isBefore(due(today, delay)) ? today : today.plusDays(1);
        long waitMs = Math.max(0, Duration.between(clock.instant(), due(next, delay)).toMillis());
        scheduler.schedule(() -> {
            reconcile(next.minusDays(1));
            scheduleAfter(next);
        }, waitMs, TimeUnit.MILLISECONDS);
    }

    private void reconcile(LocalDate day) {
        try {
            Reconciler.Outcome outcome = reconciler.run(day);
            if (outcome.open().isEmpty()) {
                LOG.info("daily reconciliation of {}: nothing open", day);
            } else {
                LOG.warn("daily reconciliation of {}: {} discrepancies open for an operator: {}", day,
                        outcome.open().size(), outcome.open());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.error("daily reconciliation of {} failed; kassa reconcile --date {} runs it again", day, day, e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
