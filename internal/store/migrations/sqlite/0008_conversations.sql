-- A conversation: a person, a channel and the business number they wrote
-- to (WhatsApp's phone_number_id). state is the bot's place in its flows
-- (JSON); a worker leases the conversation (lease_owner, lease_until) to
-- answer its messages in order. It carries the 24-hour customer-service
-- window: free-form messages may go only while last_inbound_at + 24 h (less
-- a margin) is ahead, and not after Meta said the window was closed
-- (window_closed_at, a 131047) until the person writes again. stopped_at:
-- the person wrote STOP here (whether or not they had consented before);
-- the bot is silent until START.
CREATE TABLE conversations (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id        BIGINT NOT NULL REFERENCES people (id),
    channel          TEXT   NOT NULL,
    business         TEXT   NOT NULL,
    business_number  TEXT   NOT NULL DEFAULT '',
    drive_id         BIGINT REFERENCES drives (id),
    last_inbound_at  BIGINT NOT NULL,
    window_closed_at BIGINT,
    stopped_at       BIGINT,
    state            TEXT   NOT NULL DEFAULT '{}',
    lease_owner      TEXT,
    lease_until      BIGINT,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    UNIQUE (person_id, channel, business)
);

-- The conversation an inbound message belongs to; unprocessed ones are
-- the bot's work.
ALTER TABLE inbox ADD COLUMN conversation_id BIGINT REFERENCES conversations (id);
CREATE INDEX inbox_conversation_pending ON inbox (conversation_id, id) WHERE processed_at IS NULL AND conversation_id IS NOT NULL;

-- The drive a message is sent for, so a drive's switch can hold it back.
ALTER TABLE outbox ADD COLUMN drive_id BIGINT REFERENCES drives (id);

-- A WhatsApp message waits while an earlier one to the same person is
-- queued or sending, so a conversation's replies arrive in order.
CREATE INDEX outbox_recipient ON outbox (to_address, id) WHERE channel = 'whatsapp' AND state IN ('queued', 'sending');

-- off = 1: the drive sends nothing on this channel; what arrives on it is
-- still stored and acknowledged.
ALTER TABLE drive_channels ADD COLUMN off INTEGER NOT NULL DEFAULT 0;
