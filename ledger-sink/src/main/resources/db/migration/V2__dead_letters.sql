-- Records the ledger sink could not read. They are written in the same transaction as the batch
-- they arrived in, so the sink moves past them without dropping them silently; an operator reads,
-- repairs and replays them from here.
CREATE TABLE dead_letters (
    topic          text        NOT NULL,
    partition      int         NOT NULL CHECK (partition >= 0),
    -- "offset" is a reserved word in SQL, hence the prefix.
    record_offset  bigint      NOT NULL CHECK (record_offset >= 0),
    reason         text        NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
    raw_key        bytea,
    raw_value      bytea,
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    -- A record re-read after a rolled-back batch is recorded once.
    PRIMARY KEY (topic, partition, record_offset)
);
