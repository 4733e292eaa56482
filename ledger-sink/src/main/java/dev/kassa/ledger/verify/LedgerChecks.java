package dev.kassa.ledger.verify;

import java.util.List;

/**
 * The ledger's checks, each a query listing the ids (as text, in a column {@code id}) that break one
 * rule. A rule holds when its query returns no row.
 */
final class LedgerChecks {

    /** A value bound into a check's query, in order of appearance. */
    enum Parameter { EXTERNAL_ACCOUNT_PREFIX, PENDING_GRACE_SECONDS }

    /** One rule and the query of its violators. */
    record Check(String invariant, String description, String violatingIds, List<Parameter> parameters) {
    }

    private static final String ENTRIES_PER_PAYMENT =
            "LEFT JOIN (SELECT payment_id, count(*) AS entries FROM ledger_entries GROUP BY payment_id) e"
                    + " ON e.payment_id = p.id";

    private static final String COMPLETED_REFUNDS_PER_PAYMENT =
            "LEFT JOIN (SELECT payment_id, sum(amount) AS refunded, count(*) AS refunds FROM refunds"
                    + " WHERE status = 'completed' GROUP BY payment_id) r ON r.payment_id = p.id";

    static final List<Check> ALL = List.of(
            new Check("transaction_sums_to_zero",
                    "every ledger transaction sums to zero in each currency (invariant 2)",
                    "SELECT DISTINCT transaction_id AS id FROM ledger_entries GROUP BY transaction_id, currency"
                            + " HAVING sum(amount) <> 0", List.of()),
            new Check("entries_sum_to_zero_per_currency",
                    "the sum of all ledger entries is zero in each currency (invariant 2)",
                    "SELECT currency AS id FROM ledger_entries GROUP BY currency HAVING sum(amount) <> 0", List.of()),
            new Check("balance_equals_sum_of_entries",
                    "every account's stored balance equals the sum of its entries, and every entry's account exists"
                            + " (invariant 2)",
                    "SELECT coalesce(a.id, e.account_id) AS id FROM accounts a FULL JOIN"
                            + " (SELECT account_id, sum(amount) AS total FROM ledger_entries GROUP BY account_id) e"
                            + " ON e.account_id = a.id WHERE a.id IS NULL OR a.balance <> coalesce(e.total, 0)",
                    List.of()),
            new Check("entry_currency_matches_account",
                    "every entry is in its account's currency, so a balance never mixes currencies",
                    "SELECT DISTINCT e.transaction_id AS id FROM ledger_entries e JOIN accounts a ON a.id = e.account_id"
                            + " WHERE e.currency <> a.currency", List.of()),
            new Check("no_negative_balance_outside_external",
                    "no account but a currency's external account has a negative balance",
                    "SELECT id FROM accounts WHERE balance < 0 AND NOT starts_with(id, ?)",
                    List.of(Parameter.EXTERNAL_ACCOUNT_PREFIX)),
            new Check("no_duplicate_entries",
                    "no ledger leg (transaction id and entry index) is booked twice, on any day",
                    "SELECT transaction_id || '#' || entry_index AS id FROM ledger_entries"
                            + " GROUP BY transaction_id, entry_index HAVING count(*) > 1", List.of()),
            new Check("completed_payment_has_two_entries",
                    "every completed payment or deposit has exactly two ledger entries",
                    "SELECT p.id FROM payments p " + ENTRIES_PER_PAYMENT
                            + " WHERE p.status = 'completed' AND coalesce(e.entries, 0) <> 2", List.of()),
            new Check("failed_payment_has_no_entries",
                    "no failed payment has ledger entries",
                    "SELECT p.id FROM payments p " + ENTRIES_PER_PAYMENT
                            + " WHERE p.status = 'failed' AND coalesce(e.entries, 0) <> 0", List.of()),
            new Check("entry_has_payment",
                    "every ledger entry belongs to a recorded payment",
                    "SELECT DISTINCT e.transaction_id AS id FROM ledger_entries e"
                            + " WHERE NOT EXISTS (SELECT 1 FROM payments p WHERE p.id = e.payment_id)", List.of()),
            // Each partition has V1's generic row check or V10's queued one (docs/architecture.md, ledger-sink);
            // the queued one also needs the parent's trigger and the deferred check of the queue.
            new Check("balance_check_on_every_partition",
                    "every partition of ledger_entries, and the table itself, has an enabled balance check deferred"
                            + " to commit, so the database itself enforces invariant 2 on every insert",
                    "SELECT c.relname::text AS id FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                            + " WHERE i.inhparent = 'ledger_entries'::regclass AND NOT EXISTS (SELECT 1 FROM pg_trigger t"
                            + " WHERE t.tgrelid = c.oid AND t.tgenabled <> 'D' AND ((t.tgdeferrable"
                            + " AND t.tgname = 'ledger_entries_balanced')"
                            + " OR t.tgname = 'ledger_entries_balance_queued_insert'))"
                            + " UNION ALL SELECT r.name FROM (VALUES ('ledger_entries', 'ledger_entries_balance_queued_insert'),"
                            + " ('ledger_balance_checks', 'ledger_balance_checks_at_commit')) r(name, check_trigger)"
                            + " WHERE NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = to_regclass(r.name)"
                            + " AND t.tgname = r.check_trigger AND t.tgenabled <> 'D')", List.of()),
            new Check("payment_recorded_once",
                    "each payment id is one row (invariant 3: exactly one row per accepted payment)",
                    "SELECT id FROM payments GROUP BY id HAVING count(*) > 1", List.of()),
            // A card payment waits for its processor, a review for days; reconciliation reports those the
            // processor settled and Kassa did not (docs/architecture.md, Reconciliation).
            new Check("payment_settled",
                    "no payment stays pending past the grace period (invariant 3: it ends completed or failed);"
                            + " a card payment waits for its processor",
                    "SELECT id FROM payments WHERE status = 'pending' AND kind <> 'card'"
                            + " AND updated <= now() - make_interval(secs => ?)",
                    List.of(Parameter.PENDING_GRACE_SECONDS)),
            // A key is kept at least 24 hours (docs/api.md) and may name a new payment once every line has
            // forgotten it, as with Stripe; two payments with one key less than 24 hours apart break the rule.
            new Check("idempotency_key_used_once",
                    "each (merchant, idempotency key) yields at most one payment within the 24 hours every key"
                            + " is kept at least (invariant 1)",
                    "SELECT DISTINCT p.merchant_id || ':' || p.idempotency_key AS id FROM payments p"
                            + " JOIN payments q ON q.merchant_id = p.merchant_id AND q.idempotency_key = p.idempotency_key"
                            + " AND q.id > p.id AND q.created < p.created + interval '24 hours'"
                            + " AND q.created > p.created - interval '24 hours'", List.of()),
            new Check("refunds_within_payment",
                    "no payment's completed refunds add up to more than its amount (invariant 4)",
                    "SELECT p.id FROM payments p " + COMPLETED_REFUNDS_PER_PAYMENT
                            + " WHERE coalesce(r.refunded, 0) > p.amount", List.of()),
            new Check("amount_refunded_equals_completed_refunds",
                    "every payment's amount_refunded is the sum of its completed refunds, and its status says"
                            + " whether nothing, part or all of it is refunded (invariant 4)",
                    "SELECT p.id FROM payments p " + COMPLETED_REFUNDS_PER_PAYMENT
                            + " WHERE p.amount_refunded <> coalesce(r.refunded, 0)"
                            + " OR (p.status = 'refunded') <> (p.amount_refunded = p.amount AND p.amount_refunded > 0)"
                            + " OR (p.status = 'partially_refunded')"
                            + " <> (p.amount_refunded > 0 AND p.amount_refunded < p.amount)", List.of()),
            new Check("refunded_payment_has_two_entries_per_refund",
                    "a refunded payment has its own two ledger entries and two more per completed refund",
                    "SELECT p.id FROM payments p " + ENTRIES_PER_PAYMENT + " " + COMPLETED_REFUNDS_PER_PAYMENT
                            + " WHERE p.status IN ('partially_refunded', 'refunded')"
                            + " AND coalesce(e.entries, 0) <> 2 + 2 * coalesce(r.refunds, 0)", List.of()),
            new Check("refund_has_payment",
                    "every refund belongs to a recorded payment of the same merchant and currency",
                    "SELECT f.id FROM refunds f WHERE NOT EXISTS (SELECT 1 FROM payments p WHERE p.id = f.payment_id"
                            + " AND p.merchant_id = f.merchant_id AND p.currency = f.currency)", List.of()));

    private LedgerChecks() {
    }
}
