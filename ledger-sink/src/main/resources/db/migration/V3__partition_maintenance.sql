-- Fixes to V1's partition maintenance and balance check, found while testing the sink against
-- Postgres 17.6. V1 itself is accepted as written: its deferred constraint trigger is cloned onto
-- every partition, the default one included, and rejects an unbalanced transaction at commit.

-- 1. The generic balance check looked a transaction up by transaction_id alone, which probes every
--    daily partition's index once per inserted row. All legs of a ledger transaction are booked on
--    one day (the sink books them on the UTC date of their event), so it now names booked_on too
--    and Postgres prunes to one partition. A transaction whose legs are spread over several days is
--    rejected unless each day's legs balance: stricter, never looser. The error is raised as a
--    check_violation (SQLSTATE 23514) so that callers see it as the constraint it is.
CREATE OR REPLACE FUNCTION kassa_check_transaction_balanced() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    unbalanced record;
BEGIN
    SELECT currency, sum(amount) AS total INTO unbalanced
      FROM ledger_entries
     WHERE transaction_id = NEW.transaction_id
       AND booked_on = NEW.booked_on
     GROUP BY currency
    HAVING sum(amount) <> 0
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ledger transaction % does not sum to zero in % on %: %',
            NEW.transaction_id, unbalanced.currency, NEW.booked_on, unbalanced.total
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$;

-- 2. Even pruned, a query on the partitioned parent costs about 160 µs per inserted leg (planning
--    over the partitions), five times a query on the partition itself: at 4,000 legs a batch that
--    is 0.65 s of every commit. So each partition the schema creates gets its own check function,
--    querying that partition statically, and the generic clone is disabled on it. The generic
--    trigger stays on the parent, so a partition created by any other means (by hand, ATTACH)
--    still gets the slow but complete check: there is no partition without one. kassa ledger
--    verify reports a partition without an enabled check.
CREATE FUNCTION kassa_attach_fast_balance_check(partition_name text) RETURNS void
LANGUAGE plpgsql AS $outer$
DECLARE
    check_function text := 'kassa_balanced_' || partition_name;
BEGIN
    EXECUTE format($create$
        CREATE OR REPLACE FUNCTION %I() RETURNS trigger
        LANGUAGE plpgsql AS $body$
        DECLARE
            unbalanced record;
        BEGIN
            SELECT currency, sum(amount) AS total INTO unbalanced
              FROM %I
             WHERE transaction_id = NEW.transaction_id
               AND booked_on = NEW.booked_on
             GROUP BY currency
            HAVING sum(amount) <> 0
             LIMIT 1;
            IF FOUND THEN
                RAISE EXCEPTION 'ledger transaction %% does not sum to zero in %% on %%: %%',
                    NEW.transaction_id, unbalanced.currency, NEW.booked_on, unbalanced.total
                    USING ERRCODE = 'check_violation';
            END IF;
            RETURN NULL;
        END;
        $body$ $create$, check_function, partition_name);
    EXECUTE format('DROP TRIGGER IF EXISTS ledger_entries_balanced_fast ON %I', partition_name);
    EXECUTE format('CREATE CONSTRAINT TRIGGER ledger_entries_balanced_fast AFTER INSERT ON %I'
                   ' DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION %I()',
                   partition_name, check_function);
    -- Only now, in the same transaction, may the generic check step aside.
    EXECUTE format('ALTER TABLE %I DISABLE TRIGGER ledger_entries_balanced', partition_name);
END;
$outer$;

-- 3. kassa_ensure_partitions failed as a whole ("updated partition constraint for default partition
--    would be violated") as soon as a default partition held a row of one of the days to create, so
--    no later day got its partition either. It now leaves such a day in the default partition and
--    says so, gives each new ledger_entries partition its fast check, and serializes concurrent
--    callers (several sinks, the API) with an advisory lock, because two concurrent CREATE TABLE IF
--    NOT EXISTS of one name can fail on the catalog's unique index.
CREATE OR REPLACE FUNCTION kassa_ensure_partitions(day_from date, days_ahead int) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    day date;
    entries_partition text;
BEGIN
    IF days_ahead < 0 OR days_ahead > 366 THEN
        RAISE EXCEPTION 'days_ahead must be within 0..366: %', days_ahead;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('kassa_ensure_partitions'));
    FOR i IN 0 .. days_ahead LOOP
        day := day_from + i;
        IF EXISTS (SELECT 1 FROM payments_default WHERE created_on = day) THEN
            RAISE WARNING 'payments of % stay in payments_default, which already holds rows of that day', day;
        ELSE
            EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF payments FOR VALUES FROM (%L) TO (%L)',
                           'payments_' || to_char(day, 'YYYYMMDD'), day, day + 1);
        END IF;
        entries_partition := 'ledger_entries_' || to_char(day, 'YYYYMMDD');
        IF to_regclass(entries_partition) IS NOT NULL THEN
            CONTINUE;
        ELSIF EXISTS (SELECT 1 FROM ledger_entries_default WHERE booked_on = day) THEN
            RAISE WARNING 'ledger entries of % stay in ledger_entries_default, which already holds rows of that day', day;
        ELSE
            EXECUTE format('CREATE TABLE %I PARTITION OF ledger_entries FOR VALUES FROM (%L) TO (%L)',
                           entries_partition, day, day + 1);
            PERFORM kassa_attach_fast_balance_check(entries_partition);
        END IF;
    END LOOP;
END;
$$;

-- The partitions V1 created, the default one included, get their fast check now.
SELECT kassa_attach_fast_balance_check(c.relname)
  FROM pg_inherits i
  JOIN pg_class c ON c.oid = i.inhrelid
 WHERE i.inhparent = 'ledger_entries'::regclass;
