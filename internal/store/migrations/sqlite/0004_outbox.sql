-- Every outbound message, on every channel. A row is written in the same
-- transaction as the change that causes it and moves
--   queued -> sending -> sent -> delivered -> read | failed | unknown.
-- "sending" is committed before the provider is called (at-most-once); a
-- row whose sender vanished becomes "unknown" and is reconciled from status
-- callbacks, never sent again. template is the provider-side template id
-- (the DLT template id for SMS).
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id       BIGINT  REFERENCES people (id),
    channel         TEXT    NOT NULL CHECK (channel IN ('sms', 'whatsapp')),
    provider        TEXT    NOT NULL,
    class           TEXT    NOT NULL CHECK (class IN ('requested', 'outreach')),
    template        TEXT    NOT NULL DEFAULT '',
    body            TEXT    NOT NULL,
    to_address      TEXT    NOT NULL,
    state           TEXT    NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'unknown')),
    provider_id     TEXT,
    error           TEXT    NOT NULL DEFAULT '',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT  NOT NULL,
    lease_owner     TEXT,
    lease_until     BIGINT,
    created_at      BIGINT  NOT NULL,
    sent_at         BIGINT,
    updated_at      BIGINT  NOT NULL
);
CREATE UNIQUE INDEX outbox_provider_id ON outbox (provider, provider_id) WHERE provider_id IS NOT NULL;
CREATE INDEX outbox_queue ON outbox (state, next_attempt_at);
CREATE INDEX outbox_sending ON outbox (lease_until) WHERE state = 'sending';
CREATE INDEX outbox_person ON outbox (person_id, id) WHERE person_id IS NOT NULL;

-- Sends started per channel and drive-local day, shared by every node: the
-- global daily budget.
CREATE TABLE outbox_budget (
    channel TEXT   NOT NULL,
    day     TEXT   NOT NULL,
    used    BIGINT NOT NULL,
    PRIMARY KEY (channel, day)
);
