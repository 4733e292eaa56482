package dev.kassa.app.cli;

import dev.kassa.app.reconcile.DailyReconciliation;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Whether and when the connector reconciles the previous UTC day, and the Postgres it reads; each flag defaults to its environment variable. */
public final class DailyReconcileOptions {

    @Option(names = "--reconcile-daily", defaultValue = "${env:KASSA_RECONCILE_DAILY:-false}", arity = "0..1",
            description = "Reconcile the previous UTC day against the processor's settlement report every day; needs "
                    + "--jdbc-url (env KASSA_RECONCILE_DAILY, default ${DEFAULT-VALUE}).")
    boolean daily;

    @Option(names = "--reconcile-delay", converter = DurationConverter.class,
            defaultValue = "${env:KASSA_RECONCILE_DELAY}",
            description = "How long after midnight UTC the previous day is reconciled, 0-23h (env KASSA_RECONCILE_DELAY, "
                    + "default ${DEFAULT-VALUE}).")
    Duration delay;

    @Mixin
    PostgresOptions postgres;

    /** The delay, checked even when the daily run is off, so that a wrong setting is found at once. */
    Duration checkedDelay() {
        return DailyReconciliation.requireDelay(delay);
    }
}
