-- Kassa's ledger schema. The sink is the only writer of accounts' balances, payments and ledger
-- entries; the API writes merchants and reads the rest.

CREATE TABLE merchants (
    id               text PRIMARY KEY,
    name             text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- SHA-256 of the secret key, hex. The key itself is shown once and never stored.
    secret_key_hash  text        NOT NULL UNIQUE,
    account_id       text        NOT NULL,
    created          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE accounts (
    id             text PRIMARY KEY,
    merchant_id    text        NOT NULL,
    currency       text        NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
    allow_negative boolean     NOT NULL DEFAULT false,
    -- Always equal to the sum of the account's ledger entries (invariant 2); kassa ledger verify checks it.
    balance        bigint      NOT NULL DEFAULT 0,
    created        timestamptz NOT NULL,
    CHECK (allow_negative OR balance >= 0)
);
CREATE INDEX accounts_merchant ON accounts (merchant_id, id);

-- Payments and deposits, partitioned by the creation date embedded in their id.
CREATE TABLE payments (
    id               text        NOT NULL,
    created_on       date        NOT NULL,
    merchant_id      text        NOT NULL,
    idempotency_key  text        NOT NULL,
    kind             text        NOT NULL CHECK (kind IN ('payment', 'deposit')),
    status           text        NOT NULL CHECK (status IN ('pending', 'completed', 'failed', 'partially_refunded', 'refunded')),
    amount           bigint      NOT NULL CHECK (amount BETWEEN 1 AND 99999999999),
    currency         text        NOT NULL,
    source           text        NOT NULL,
    destination      text        NOT NULL,
    amount_refunded  bigint      NOT NULL DEFAULT 0 CHECK (amount_refunded BETWEEN 0 AND amount),
    description      text,
    metadata         jsonb       NOT NULL DEFAULT '{}',
    fraud            jsonb       NOT NULL DEFAULT '{"score": 0, "decision": "allow", "reasons": []}',
    failure_code     text,
    created          timestamptz NOT NULL,
    updated          timestamptz NOT NULL,
    -- The sequence number of the last event applied, so an older event never overwrites a newer state.
    last_event_sequence bigint   NOT NULL,
    PRIMARY KEY (id, created_on)
) PARTITION BY RANGE (created_on);
CREATE INDEX payments_merchant_listing ON payments (merchant_id, kind, id DESC);

-- One row per leg; the legs of a ledger transaction sum to zero per currency.
CREATE TABLE ledger_entries (
    transaction_id text        NOT NULL,
    entry_index    int         NOT NULL,
    booked_on      date        NOT NULL,
    payment_id     text        NOT NULL,
    account_id     text        NOT NULL,
    amount         bigint      NOT NULL CHECK (amount <> 0),
    currency       text        NOT NULL,
    booked_at      timestamptz NOT NULL,
    PRIMARY KEY (transaction_id, entry_index, booked_on)
) PARTITION BY RANGE (booked_on);
CREATE INDEX ledger_entries_account ON ledger_entries (account_id);
CREATE INDEX ledger_entries_payment ON ledger_entries (payment_id);

-- Every event applied, by id: the second line against applying an event twice.
CREATE TABLE applied_events (
    event_id   text PRIMARY KEY,
    topic      text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);

-- The sink's consumed offsets, written in the same transaction as the rows they produced.
CREATE TABLE sink_offsets (
    consumer_group text   NOT NULL,
    topic          text   NOT NULL,
    partition      int    NOT NULL,
    next_offset    bigint NOT NULL CHECK (next_offset >= 0),
    PRIMARY KEY (consumer_group, topic, partition)
);

-- Creates the daily partitions of payments and ledger_entries from day_from for days_ahead days.
CREATE FUNCTION kassa_ensure_partitions(day_from date, days_ahead int) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    day date;
BEGIN
    FOR i IN 0 .. days_ahead LOOP
        day := day_from + i;
        EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF payments FOR VALUES FROM (%L) TO (%L)',
                       'payments_' || to_char(day, 'YYYYMMDD'), day, day + 1);
        EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF ledger_entries FOR VALUES FROM (%L) TO (%L)',
                       'ledger_entries_' || to_char(day, 'YYYYMMDD'), day, day + 1);
    END LOOP;
END;
$$;

-- Rows outside any daily partition (clock skew, a very old replay) still land somewhere.
CREATE TABLE payments_default PARTITION OF payments DEFAULT;
CREATE TABLE ledger_entries_default PARTITION OF ledger_entries DEFAULT;

SELECT kassa_ensure_partitions(current_date - 1, 8);

-- The database's own check of the double-entry rule, at commit time: every ledger transaction
-- touched by the committing transaction must sum to zero per currency.
CREATE FUNCTION kassa_check_transaction_balanced() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    unbalanced record;
BEGIN
    SELECT currency, sum(amount) AS total INTO unbalanced
      FROM ledger_entries
     WHERE transaction_id = NEW.transaction_id
     GROUP BY currency
    HAVING sum(amount) <> 0
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ledger transaction % does not sum to zero in %: %',
            NEW.transaction_id, unbalanced.currency, unbalanced.total;
    END IF;
    RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER ledger_entries_balanced
    AFTER INSERT ON ledger_entries
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION kassa_check_transaction_balanced();
