-- The retention purge deletes registration marks older than 30 days a chunk
-- at a time (5,000 a transaction, as the inbox, outbox and audit log), so a
-- purge after a national launch never holds the writer for long; each chunk
-- finds its rows by this index instead of reading the table.
CREATE INDEX registration_marks_at ON registration_marks (at);
