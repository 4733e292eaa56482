package dev.kassa.app.cli;

import dev.kassa.topology.treasury.DepositLimits;
import picocli.CommandLine.Option;

/**
 * The topology's deposit limits (docs/architecture.md, Deposits), in minor units of the deposit's
 * currency; each flag defaults to its environment variable.
 */
public final class DepositLimitOptions {

    @Option(names = "--supply-cap", defaultValue = "${env:KASSA_SUPPLY_CAP:-" + DepositLimits.SUPPLY_CAP_DEFAULT + "}",
            description = "Most money in circulation per currency, in minor units; a deposit beyond it is declined "
                    + "supply_limit_exceeded (env KASSA_SUPPLY_CAP, default ${DEFAULT-VALUE}, at most "
                    + DepositLimits.SUPPLY_CAP_MAX + ").")
    long supplyCap;

    @Option(names = "--deposit-limit-single",
            defaultValue = "${env:KASSA_DEPOSIT_LIMIT_SINGLE:-" + DepositLimits.DEPOSIT_LIMIT_SINGLE_DEFAULT + "}",
            description = "Largest single deposit of a merchant, in minor units; more is declined "
                    + "deposit_limit_exceeded (env KASSA_DEPOSIT_LIMIT_SINGLE, default ${DEFAULT-VALUE}).")
    long depositLimitSingle;

    @Option(names = "--deposit-limit-daily",
            defaultValue = "${env:KASSA_DEPOSIT_LIMIT_DAILY:-" + DepositLimits.DEPOSIT_LIMIT_DAILY_DEFAULT + "}",
            description = "Most a merchant may deposit per currency per UTC day, in minor units; more is declined "
                    + "daily_deposit_limit_exceeded (env KASSA_DEPOSIT_LIMIT_DAILY, default ${DEFAULT-VALUE}).")
    long depositLimitDaily;

    DepositLimits toLimits() {
        return new DepositLimits(supplyCap, depositLimitSingle, depositLimitDaily);
    }
}
