package dev.kassa.processor.sim;

/**
 * The sandbox's processing fee: 2.9 % of the amount plus 30 minor units, in integer arithmetic. The
 * percentage part is rounded half up to a whole minor unit: {@code (amount * 29 + 500) / 1000}, so 1,250
 * pays 36 + 30 = 66 and 50 pays 1 + 30 = 31 (docs/processor-sim.md). A declined charge pays no fee;
 * refunds pay none and get none back.
 */
final class Fees {

    static final long PERCENT_TENTHS = 29;
    static final long FIXED_MINOR_UNITS = 30;

    private Fees() {
    }

    /** The fee of a charge of {@code amount} minor units; the amount is within the sandbox's bounds. */
    static long chargeFee(long amount) {
        if (amount < ChargeValidation.AMOUNT_MIN || amount > ChargeValidation.AMOUNT_MAX) {
            throw new IllegalArgumentException("amount " + amount + " is outside the charge bounds");
        }
        // amount <= 99,999,999, so amount * 29 cannot overflow a long.
        return (amount * PERCENT_TENTHS + 500) / 1000 + FIXED_MINOR_UNITS;
    }
}
