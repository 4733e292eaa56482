-- dead_letters doubles as the outbox of the kassa.dead-letter topic: the batch's transaction records a
-- dead letter, and the sink publishes it afterwards and then sets published_at. Postgres stays the one
-- source of truth; a crash between the publish and the update publishes a row again (at least once),
-- and consumers of the topic dedupe by the source topic, partition and offset in its headers.
ALTER TABLE dead_letters ADD COLUMN published_at timestamptz;

-- Rows from before this migration were never published; they are published like new ones.
-- The relay reads the unpublished rows oldest first, a bounded page at a time.
CREATE INDEX dead_letters_unpublished ON dead_letters (recorded_at, topic, partition, record_offset)
    WHERE published_at IS NULL;
