-- Counter shards (see the PostgreSQL migration): SQLite has one writer, so
-- it always writes shard 0; the column keeps both engines' SQL the same.
CREATE TABLE counters_sharded (
    drive_id BIGINT   NOT NULL,
    area_id  BIGINT   NOT NULL,
    metric   TEXT     NOT NULL,
    day      TEXT     NOT NULL,
    channel  TEXT     NOT NULL,
    shard    SMALLINT NOT NULL DEFAULT 0,
    value    BIGINT   NOT NULL,
    PRIMARY KEY (drive_id, area_id, metric, day, channel, shard)
);
INSERT INTO counters_sharded (drive_id, area_id, metric, day, channel, shard, value)
SELECT drive_id, area_id, metric, day, channel, 0, value FROM counters;
DROP TABLE counters;
ALTER TABLE counters_sharded RENAME TO counters;

CREATE TABLE counter_totals_sharded (
    drive_id BIGINT   NOT NULL,
    area_id  BIGINT   NOT NULL,
    metric   TEXT     NOT NULL,
    day      TEXT     NOT NULL,
    channel  TEXT     NOT NULL,
    shard    SMALLINT NOT NULL DEFAULT 0,
    value    BIGINT   NOT NULL,
    PRIMARY KEY (drive_id, area_id, metric, day, channel, shard)
);
INSERT INTO counter_totals_sharded (drive_id, area_id, metric, day, channel, shard, value)
SELECT drive_id, area_id, metric, day, channel, 0, value FROM counter_totals;
DROP TABLE counter_totals;
ALTER TABLE counter_totals_sharded RENAME TO counter_totals;

CREATE TABLE counter_drive_totals_sharded (
    drive_id BIGINT   NOT NULL,
    area_id  BIGINT   NOT NULL,
    metric   TEXT     NOT NULL,
    channel  TEXT     NOT NULL,
    shard    SMALLINT NOT NULL DEFAULT 0,
    value    BIGINT   NOT NULL,
    PRIMARY KEY (drive_id, area_id, metric, channel, shard)
);
INSERT INTO counter_drive_totals_sharded (drive_id, area_id, metric, channel, shard, value)
SELECT drive_id, area_id, metric, channel, 0, value FROM counter_drive_totals;
DROP TABLE counter_drive_totals;
ALTER TABLE counter_drive_totals_sharded RENAME TO counter_drive_totals;
