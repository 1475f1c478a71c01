-- What the bot leases by, kept on the conversation so leasing reads a few
-- rows of a small index rather than grouping the inbox's unanswered
-- messages: waiting_since is when the conversation started waiting for an
-- answer (NULL: nothing to answer), set by the first inbound message after
-- it was last answered; inbound_seq counts inbound messages, so a worker
-- releasing the conversation clears waiting_since only if no message came
-- in since it leased it (on PostgreSQL the check sees the newest row).
ALTER TABLE conversations ADD COLUMN waiting_since BIGINT;
ALTER TABLE conversations ADD COLUMN inbound_seq BIGINT NOT NULL DEFAULT 0;
UPDATE conversations SET waiting_since = (SELECT MIN(i.received_at) FROM inbox i
    WHERE i.conversation_id = conversations.id AND i.processed_at IS NULL);
CREATE INDEX conversations_waiting ON conversations (waiting_since, id) WHERE waiting_since IS NOT NULL;
