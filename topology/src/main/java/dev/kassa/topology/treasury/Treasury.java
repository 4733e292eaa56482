package dev.kassa.topology.treasury;

import dev.kassa.model.DeclineCode;
import dev.kassa.model.Ids;
import dev.kassa.model.Payment;
import dev.kassa.model.PaymentKind;
import dev.kassa.topology.authorize.AccountBalance;
import dev.kassa.topology.retention.BoundedPurge;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The treasury of a currency: what the task of the currency's external account knows and checks
 * before it takes a deposit. A deposit debits the external account, so money in circulation is
 * minus that account's balance; the treasury refuses a deposit that would take it over the
 * {@link DepositLimits#supplyCap() supply cap} ({@code supply_limit_exceeded}), a deposit larger
 * than a merchant's {@link DepositLimits#depositLimitSingle() single limit}
 * ({@code deposit_limit_exceeded}), and one that would take the merchant's deposits of the record's
 * UTC day over the {@link DepositLimits#depositLimitDaily() daily limit}
 * ({@code daily_deposit_limit_exceeded}). Its state, the external account's balance and the daily
 * totals, is written in the transaction that decides the deposit (docs/architecture.md, Deposits).
 */
public final class Treasury {

    private final DepositLimits limits;
    private final KeyValueStore<String, AccountBalance> balances;
    private final KeyValueStore<String, DailyDeposits> days;
    private final BoundedPurge<DailyDeposits> purge =
            new BoundedPurge<>(BoundedPurge.ENTRIES_MAX, DailyDeposits::isExpired);

    public Treasury(DepositLimits limits, KeyValueStore<String, AccountBalance> balances,
                    KeyValueStore<String, DailyDeposits> days) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.balances = Objects.requireNonNull(balances, "balances");
        this.days = Objects.requireNonNull(days, "days");
    }

    /**
     * The balance of {@code currency}'s external account, at zero before its first deposit (the store
     * holds it from then on): owned by the platform, allowed to go negative, as the ledger opens it.
     */
    public AccountBalance externalAccount(String currency) {
        String id = Ids.externalAccount(currency);
        AccountBalance existing = balances.get(id);
        return existing != null ? existing : new AccountBalance(id, Ids.EXTERNAL_ACCOUNT_OWNER, currency, true, 0);
    }

    /** Why the treasury refuses {@code deposit}, decided at {@code timestampMs} (its command's record time). */
    public Optional<DeclineCode> refusal(AccountBalance external, Payment deposit, long timestampMs) {
        requireDeposit(deposit);
        if (deposit.amount() > limits.depositLimitSingle()) {
            return Optional.of(DeclineCode.DEPOSIT_LIMIT_EXCEEDED);
        }
        if (depositedOn(deposit, timestampMs) + deposit.amount() > limits.depositLimitDaily()) {
            return Optional.of(DeclineCode.DAILY_DEPOSIT_LIMIT_EXCEEDED);
        }
        // Both sides are far from the long range: the balance is at least -supplyCap, the amount a Money.
        if (external.balance() - deposit.amount() < -limits.supplyCap()) {
            return Optional.of(DeclineCode.SUPPLY_LIMIT_EXCEEDED);
        }
        return Optional.empty();
    }

    /** Counts {@code deposit}, which the treasury took, against its merchant's day. */
    public void deposited(Payment deposit, long timestampMs) {
        add(deposit, timestampMs, deposit.amount());
    }

    /**
     * Gives {@code deposit}'s amount back to its merchant's day: it was taken, then reversed because
     * the account it was for could not take it. A reversal carries its deposit's record timestamp, so
     * it lands on the same day, within seconds; a day already purged has nothing to give back to.
     */
    public void returned(Payment deposit, long timestampMs) {
        add(deposit, timestampMs, -deposit.amount());
    }

    /** Deletes days past their retention, a bounded slice per call; returns how many. */
    public int purge(long streamTimeMs) {
        return purge.purge(days, streamTimeMs);
    }

    private long depositedOn(Payment deposit, long timestampMs) {
        DailyDeposits day = days.get(dayKey(deposit, timestampMs));
        return day == null ? 0 : day.total();
    }

    private void add(Payment deposit, long timestampMs, long amount) {
        requireDeposit(deposit);
        long epochDay = DailyDeposits.epochDay(timestampMs);
        String key = dayKey(deposit, timestampMs);
        long total = Math.max(0, Math.addExact(depositedOn(deposit, timestampMs), amount));
        days.put(key, new DailyDeposits(epochDay, total));
    }

    private static String dayKey(Payment deposit, long timestampMs) {
        return DailyDeposits.key(deposit.merchantId(), deposit.currency(), DailyDeposits.epochDay(timestampMs));
    }

    private static void requireDeposit(Payment payment) {
        if (payment.kind() != PaymentKind.DEPOSIT) {
            throw new IllegalArgumentException("payment " + payment.id() + " is no deposit");
        }
    }
}
