-- What a message's body becomes once it is no longer needed to send it
-- (it left sending: sent, delivered, read, failed or unknown): its text
-- with the secrets in it (a sign-in code, a /j/ token, a join code)
-- masked. '' when the body holds no secret and is kept. Emptied once used.
ALTER TABLE outbox ADD COLUMN summary TEXT NOT NULL DEFAULT '';

-- The retention purge finds old messages by when they were made.
CREATE INDEX outbox_created ON outbox (created_at);

-- SMS sent before this kept their text, codes and links included: the
-- text goes now (a /j/ link lives a week), masked whole.
UPDATE outbox SET body = '•••'
    WHERE channel = 'sms' AND state IN ('sent', 'delivered', 'read', 'failed', 'unknown') AND body <> '[erased]';
