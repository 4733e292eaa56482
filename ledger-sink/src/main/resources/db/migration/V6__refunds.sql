-- Refunds (issue 6), written by the sink from the refund events on payments.events: one row per
-- refund, in its state after its last applied event. A refund moves money back from its payment's
-- destination to its source in one ledger transaction (the RefundCompleted event's id), and the
-- payment row's status and amount_refunded come from the same events, so after every commit
-- amount_refunded equals the sum of the payment's completed refunds (kassa ledger verify checks it).
CREATE TABLE refunds (
    id                  text        PRIMARY KEY,
    payment_id          text        NOT NULL,
    merchant_id         text        NOT NULL,
    idempotency_key     text        NOT NULL,
    -- SHA-256 hex of the request's method, path and canonical body; null when the command had none.
    request_fingerprint text,
    -- Zero only for a failed refund of "the rest" of a payment with nothing left.
    amount              bigint      NOT NULL CHECK (amount BETWEEN 0 AND 99999999999),
    currency            text        NOT NULL,
    status              text        NOT NULL CHECK (status IN ('pending', 'completed', 'failed')),
    failure_code        text,
    created             timestamptz NOT NULL,
    updated             timestamptz NOT NULL,
    -- The payment event sequence of the last event applied, so an older event never overwrites a newer state.
    last_event_sequence bigint      NOT NULL,
    CHECK ((status = 'failed') = (failure_code IS NOT NULL)),
    CHECK (status <> 'completed' OR amount > 0)
);
CREATE INDEX refunds_payment ON refunds (payment_id, created, id);
