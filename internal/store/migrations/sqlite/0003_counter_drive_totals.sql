-- Whole-drive subtree totals: counter_totals without the day. A report
-- without a day range (the dashboard's usual view, and every pace toward
-- a target) reads one row per area, metric and channel here instead of
-- one per day: a state with its children is ~2,700 rows, not ~80,000.
CREATE TABLE counter_drive_totals (
    drive_id BIGINT NOT NULL,
    area_id  BIGINT NOT NULL,
    metric   TEXT   NOT NULL,
    channel  TEXT   NOT NULL,
    value    BIGINT NOT NULL,
    PRIMARY KEY (drive_id, area_id, metric, channel)
);

INSERT INTO counter_drive_totals (drive_id, area_id, metric, channel, value)
SELECT drive_id, area_id, metric, channel, sum(value) FROM counter_totals GROUP BY drive_id, area_id, metric, channel;
