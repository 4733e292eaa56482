package dev.kassa.topology.treasury;

import dev.kassa.model.Bounds;
import dev.kassa.model.Money;

/**
 * What the treasury task of a currency lets in as deposits (docs/architecture.md, Deposits). All
 * amounts are minor units of the deposit's currency.
 *
 * @param supplyCap          the most money that may be in circulation in one currency: the external
 *                           account's balance never goes below {@code -supplyCap}. Every positive
 *                           balance is at most the money in circulation, so with this far below
 *                           {@code Long.MAX_VALUE} no balance, and no sum of balances, can overflow
 * @param depositLimitSingle the largest single deposit of a merchant
 * @param depositLimitDaily  the most a merchant may deposit in one currency in one UTC day (the day
 *                           of the command record's timestamp)
 */
public record DepositLimits(long supplyCap, long depositLimitSingle, long depositLimitDaily) {

    /**
     * 10^15 minor units: ten trillion dollars in cents, more than all the dollars there are, and still
     * 9,000 times below {@code Long.MAX_VALUE} (about 9.2 * 10^18).
     */
    public static final long SUPPLY_CAP_DEFAULT = 1_000_000_000_000_000L;

    /**
     * The bound on the cap: 10^17, so that even the largest cap leaves every balance, the sum of a
     * currency's positive balances and a deposit added to either 90 times below {@code Long.MAX_VALUE}.
     */
    public static final long SUPPLY_CAP_MAX = 100_000_000_000_000_000L;

    /** 1,000,000.00 in a currency with two decimals. */
    public static final long DEPOSIT_LIMIT_SINGLE_DEFAULT = 100_000_000L;

    /** 10,000,000.00 in a currency with two decimals: ten of the largest single deposits a day. */
    public static final long DEPOSIT_LIMIT_DAILY_DEFAULT = 1_000_000_000L;

    /** The defaults above. */
    public static final DepositLimits DEFAULTS =
            new DepositLimits(SUPPLY_CAP_DEFAULT, DEPOSIT_LIMIT_SINGLE_DEFAULT, DEPOSIT_LIMIT_DAILY_DEFAULT);

    public DepositLimits {
        Bounds.requireWithin("supplyCap", supplyCap, 1, SUPPLY_CAP_MAX);
        Bounds.requireWithin("depositLimitSingle", depositLimitSingle, 1, Money.AMOUNT_MAX);
        Bounds.requireWithin("depositLimitDaily", depositLimitDaily, 1, SUPPLY_CAP_MAX);
    }
}
