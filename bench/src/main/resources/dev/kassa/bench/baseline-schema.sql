-- The seed's naive design, for comparison only, in a schema of its own: Kassa's tables are never touched.
CREATE SCHEMA IF NOT EXISTS bench_baseline;

CREATE TABLE IF NOT EXISTS bench_baseline.merchants (
    id          text PRIMARY KEY,
    secret_key  text NOT NULL UNIQUE,
    account_id  text NOT NULL
);

CREATE TABLE IF NOT EXISTS bench_baseline.accounts (
    id             text PRIMARY KEY,
    merchant_id    text    NOT NULL,
    currency       text    NOT NULL,
    allow_negative boolean NOT NULL DEFAULT false,
    balance        bigint  NOT NULL DEFAULT 0,
    CHECK (allow_negative OR balance >= 0)
);

-- Two rows per payment (and per deposit), written in the payment's one transaction.
CREATE TABLE IF NOT EXISTS bench_baseline.ledger_entries (
    payment_id      text        NOT NULL,
    entry_index     int         NOT NULL,
    merchant_id     text        NOT NULL,
    idempotency_key text        NOT NULL,
    kind            text        NOT NULL,
    account_id      text        NOT NULL,
    amount          bigint      NOT NULL,
    committed_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (payment_id, entry_index)
);
CREATE INDEX IF NOT EXISTS ledger_entries_merchant ON bench_baseline.ledger_entries (merchant_id, kind);

INSERT INTO bench_baseline.accounts (id, merchant_id, currency, allow_negative)
VALUES ('acct_external', 'platform', 'usd', true) ON CONFLICT DO NOTHING;
