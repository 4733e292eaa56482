-- accounts.balance mirrors the topology's balance store, which alone decides whether a debit fits:
-- a non-negative account never goes below zero there. The sink applies each partition of
-- payments.events in order, but partitions relative to one another in whatever order the consumer
-- fetches them; draining a backlog, it may apply a payment before the deposit that funded it, from
-- another partition. A row-level CHECK then refused the batch again on every retry and the sink
-- never caught up. The rule is checked where it is true: at rest, by kassa ledger verify
-- (no_negative_balance_outside_external), once the sink has caught up.
ALTER TABLE accounts DROP CONSTRAINT IF EXISTS accounts_check;
