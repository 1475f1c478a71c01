-- A message moves queued -> sending -> sent, and each move writes a new
-- version of its row with an entry in every index whose rows it is among
-- (PostgreSQL updates no index in place when an indexed column changes).
-- Two indexes held every message whatever its state, so each move wrote
-- to them: the queue, which only the claim reads and only for queued
-- messages, and the retention purge's, which only reads messages that left
-- sending. Each now holds just the messages it is read for, so a message
-- is written to 10 index entries on its way to sent instead of 14.
DROP INDEX outbox_queue;
CREATE INDEX outbox_queue ON outbox (next_attempt_at, id) WHERE state = 'queued';
DROP INDEX outbox_created;
CREATE INDEX outbox_created ON outbox (created_at) WHERE state NOT IN ('queued', 'sending');
