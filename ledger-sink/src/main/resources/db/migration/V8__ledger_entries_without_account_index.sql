-- Each index on ledger_entries costs a write per leg, and the sink appends two legs per payment at
-- bulk-load speed (issue 17). ledger_entries_account (V1) served no reader: the API never reads the
-- entries, kassa ledger verify sums them per account over the whole table (a sequential scan), and
-- each account's balance is kept in accounts.balance. Dropping it on the partitioned parent drops it
-- on every partition. The primary key (the deferred balance check's lookup) and ledger_entries_payment
-- (entries by payment) stay.
DROP INDEX IF EXISTS ledger_entries_account;
