-- The third line of idempotency (API.md): each payment's (merchant, Idempotency-Key), written by the
-- sink in the transaction that first writes the payment's row, and kept for the ledger key retention
-- (30 days by default) after Redis (24 h) and the topology's dedupe store (25 h) have forgotten it.
-- While a row is here and not expired, a request with the key is answered with this payment and
-- nothing is published again. Expiry is decided by expires_at at lookup; the sink's purge only frees
-- space, a bounded number of rows at a time.
CREATE TABLE idempotency_keys (
    merchant_id         text        NOT NULL,
    idempotency_key     text        NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    payment_id          text        NOT NULL,
    -- SHA-256 hex of the first request's method, path and canonical body; null for payments from
    -- before fingerprints, which then answer any request with the key.
    request_fingerprint text,
    created             timestamptz NOT NULL,
    expires_at          timestamptz NOT NULL CHECK (expires_at > created),
    PRIMARY KEY (merchant_id, idempotency_key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
