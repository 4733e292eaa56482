package dev.kassa.app.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * How long the ledger keeps a payment's idempotency key; defaults to its environment variable, and that
 * to {@link dev.kassa.ledger.sink.SinkSettings#KEY_RETENTION_DEFAULT} ({@link SettingsDefaults}).
 */
public final class LedgerKeyRetentionOption {

    @Option(names = "--ledger-key-retention", defaultValue = "${env:KASSA_LEDGER_KEY_RETENTION}",
            converter = DurationConverter.class,
            description = "How long Postgres keeps a payment's idempotency key (env KASSA_LEDGER_KEY_RETENTION, "
                    + "default ${DEFAULT-VALUE}).")
    Duration ledgerRetention;
}
