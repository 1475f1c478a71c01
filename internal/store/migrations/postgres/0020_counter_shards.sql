-- Counter shards: a key (drive, area, metric, day, channel) may have a row
-- per shard, and its value is the sum of them. Each PostgreSQL transaction
-- that writes counters writes them to a shard no other transaction of its
-- process holds at that moment (store/shards.go), so concurrent writers no
-- longer queue on one hot row (the drive's root, every lead's day).
-- Readers sum over shards, as they already sum over days and channels.
ALTER TABLE counters ADD COLUMN shard SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE counters DROP CONSTRAINT counters_pkey;
ALTER TABLE counters ADD PRIMARY KEY (drive_id, area_id, metric, day, channel, shard);

ALTER TABLE counter_totals ADD COLUMN shard SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE counter_totals DROP CONSTRAINT counter_totals_pkey;
ALTER TABLE counter_totals ADD PRIMARY KEY (drive_id, area_id, metric, day, channel, shard);

ALTER TABLE counter_drive_totals ADD COLUMN shard SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE counter_drive_totals DROP CONSTRAINT counter_drive_totals_pkey;
ALTER TABLE counter_drive_totals ADD PRIMARY KEY (drive_id, area_id, metric, channel, shard);
