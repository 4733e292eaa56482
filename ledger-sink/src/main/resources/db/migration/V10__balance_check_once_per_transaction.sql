-- The database's zero-sum check (invariant 2: every ledger transaction's legs sum to zero per
-- currency, checked at commit, so that no writer can commit an unbalanced transaction) run once per
-- ledger transaction and one grouped query per statement, instead of one query per leg (issue 17).
-- V1/V3's check was a deferred constraint trigger FOR EACH ROW: every leg queued an event, and at
-- commit each ran its own query over its whole transaction, so a sink batch of 1,000 legs ran 1,000
-- queries (about 34 ms of a 116 ms batch; docs/architecture.md, "ledger-sink").
--
-- Now a statement-level trigger on ledger_entries records which ledger transactions the statement
-- touched (from its transition tables) as one row of ledger_balance_checks, and a deferred
-- constraint trigger on that row checks all of them at commit, in one query. The check stays
-- deferred to commit: legs inserted by separate statements of one database transaction are checked
-- together, as before. Updates and deletes of legs are checked the same way (V1 checked inserts only).

-- Rows live only inside the writing transaction: queued by a statement, deleted by the check at
-- commit. Unlogged, because no row ever outlives its transaction, so none needs the WAL.
CREATE UNLOGGED TABLE ledger_balance_checks (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transaction_ids text[] NOT NULL,
    booked_on       date[] NOT NULL,
    CHECK (cardinality(transaction_ids) = cardinality(booked_on))
);

-- The ledger transactions (with their day: all legs of one are booked on one day, V3) a statement
-- touched, queued for the check at commit. The transition tables are named alike by every trigger
-- that calls it.
CREATE FUNCTION kassa_queue_balance_check() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO ledger_balance_checks (transaction_ids, booked_on)
        SELECT array_agg(transaction_id), array_agg(booked_on)
          FROM (SELECT DISTINCT transaction_id, booked_on FROM new_entries) touched
        HAVING count(*) > 0;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO ledger_balance_checks (transaction_ids, booked_on)
        SELECT array_agg(transaction_id), array_agg(booked_on)
          FROM (SELECT transaction_id, booked_on FROM new_entries
                UNION SELECT transaction_id, booked_on FROM old_entries) touched
        HAVING count(*) > 0;
    ELSE
        INSERT INTO ledger_balance_checks (transaction_ids, booked_on)
        SELECT array_agg(transaction_id), array_agg(booked_on)
          FROM (SELECT DISTINCT transaction_id, booked_on FROM old_entries) touched
        HAVING count(*) > 0;
    END IF;
    RETURN NULL;
END;
$$;

-- At commit: every queued ledger transaction must sum to zero per currency. The lateral subquery
-- makes it one index probe of the primary key per transaction, pruned to its day's partition at
-- execution, however large the ledger.
CREATE FUNCTION kassa_check_queued_balances() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    unbalanced record;
BEGIN
    SELECT queued.transaction_id, queued.booked_on, sums.currency, sums.total INTO unbalanced
      FROM unnest(NEW.transaction_ids, NEW.booked_on) AS queued(transaction_id, booked_on)
     CROSS JOIN LATERAL (SELECT e.currency, sum(e.amount) AS total
                           FROM ledger_entries e
                          WHERE e.transaction_id = queued.transaction_id
                            AND e.booked_on = queued.booked_on
                          GROUP BY e.currency
                         HAVING sum(e.amount) <> 0) sums
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ledger transaction % does not sum to zero in % on %: %',
            unbalanced.transaction_id, unbalanced.currency, unbalanced.booked_on, unbalanced.total
            USING ERRCODE = 'check_violation';
    END IF;
    DELETE FROM ledger_balance_checks WHERE id = NEW.id;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER ledger_balance_checks_at_commit
    AFTER INSERT ON ledger_balance_checks
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION kassa_check_queued_balances();

-- Statement-level triggers fire only on the table a statement names: the parent's for statements on
-- ledger_entries (the sink's COPY), each partition's for statements naming the partition itself.
CREATE FUNCTION kassa_queue_balance_checks_on(table_name text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE TRIGGER ledger_entries_balance_queued_insert AFTER INSERT ON %I'
                   ' REFERENCING NEW TABLE AS new_entries'
                   ' FOR EACH STATEMENT EXECUTE FUNCTION kassa_queue_balance_check()', table_name);
    EXECUTE format('CREATE TRIGGER ledger_entries_balance_queued_update AFTER UPDATE ON %I'
                   ' REFERENCING OLD TABLE AS old_entries NEW TABLE AS new_entries'
                   ' FOR EACH STATEMENT EXECUTE FUNCTION kassa_queue_balance_check()', table_name);
    EXECUTE format('CREATE TRIGGER ledger_entries_balance_queued_delete AFTER DELETE ON %I'
                   ' REFERENCING OLD TABLE AS old_entries'
                   ' FOR EACH STATEMENT EXECUTE FUNCTION kassa_queue_balance_check()', table_name);
END;
$$;

SELECT kassa_queue_balance_checks_on('ledger_entries');

-- Each partition the schema makes (kassa_ensure_partitions calls this by its V3 name) gets the
-- queued check in place of V3's per-partition row trigger; V1's generic row trigger stays disabled
-- on it. A partition made by any other means (by hand, ATTACH) keeps the generic row trigger cloned
-- from the parent, slow but complete, so that no partition is without a check; kassa ledger verify
-- reports one that is.
CREATE OR REPLACE FUNCTION kassa_attach_fast_balance_check(partition_name text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('DROP TRIGGER IF EXISTS ledger_entries_balanced_fast ON %I', partition_name);
    EXECUTE format('DROP FUNCTION IF EXISTS %I()', 'kassa_balanced_' || partition_name);
    PERFORM kassa_queue_balance_checks_on(partition_name);
    -- Only now, in the same transaction, may the generic check step aside.
    EXECUTE format('ALTER TABLE %I DISABLE TRIGGER ledger_entries_balanced', partition_name);
END;
$$;

-- The partitions that carry V3's per-partition check (those the schema made) move to the queued
-- one; partitions made by hand keep the generic check they have.
SELECT kassa_attach_fast_balance_check(c.relname)
  FROM pg_inherits i
  JOIN pg_class c ON c.oid = i.inhrelid
 WHERE i.inhparent = 'ledger_entries'::regclass
   AND EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = 'ledger_entries_balanced_fast');
