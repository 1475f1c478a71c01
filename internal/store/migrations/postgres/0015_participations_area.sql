-- A search by name in a narrow scope (an AC) with a stage or a channel
-- starts from the scope's participations rather than from the keys with
-- the prefix state-wide: this index lists an area's participations with
-- what the search joins them by (the person), shows (the drive, the id)
-- and filters by (the channel, the stage's times), without reading the
-- participations themselves.
CREATE INDEX participations_area ON participations (area_id, person_id, drive_id, id, channel,
    active_at, volunteer_at, verified_at, registered_at);
