-- Reconciliation of card payments against the card processor's settlement report (issue 19;
-- docs/architecture.md, Reconciliation). Written by `kassa reconcile` (and the connector's daily
-- run), never by the sink: one row per reconciled UTC day, one per line of that day's report and per
-- Kassa card payment or refund the report lacks. Re-running a day updates these rows in place.
CREATE TABLE reconciliation_runs (
    business_date date        PRIMARY KEY,
    state         text        NOT NULL CHECK (state IN ('open', 'resolved')),
    runs          integer     NOT NULL CHECK (runs > 0),
    report_lines  integer     NOT NULL CHECK (report_lines >= 0),
    matched       integer     NOT NULL CHECK (matched >= 0),
    completed     integer     NOT NULL CHECK (completed >= 0),
    open_items    integer     NOT NULL CHECK (open_items >= 0),
    first_run     timestamptz NOT NULL,
    last_run      timestamptz NOT NULL,
    CHECK ((state = 'open') = (open_items > 0))
);

CREATE TABLE reconciliation_items (
    business_date    date        NOT NULL REFERENCES reconciliation_runs (business_date),
    -- The report line's id (ch_…, re_…; a repeated line's second copy ch_…#2), or the Kassa payment or
    -- refund id of one the report lacks.
    item_key         text        NOT NULL,
    kind             text        NOT NULL CHECK (kind IN ('matched', 'completed_by_reconciliation',
                                     'missing_at_processor', 'unknown_at_kassa', 'charged_but_failed',
                                     'amount_mismatch', 'currency_mismatch', 'duplicate_line', 'second_charge')),
    state            text        NOT NULL CHECK (state IN ('open', 'resolved')),
    payment_id       text,
    processor_id     text,
    kassa_amount     bigint,
    processor_amount bigint,
    currency         text,
    detail           text        NOT NULL,
    first_seen       timestamptz NOT NULL,
    updated          timestamptz NOT NULL,
    PRIMARY KEY (business_date, item_key)
);
CREATE INDEX reconciliation_items_open ON reconciliation_items (business_date) WHERE state = 'open';
