-- The sender a message goes out from, where a channel has several: the
-- WhatsApp business number's phone_number_id a conversation belongs to.
-- Empty for SMS, whose sender id is the installation's.
ALTER TABLE outbox ADD COLUMN from_address TEXT NOT NULL DEFAULT '';
