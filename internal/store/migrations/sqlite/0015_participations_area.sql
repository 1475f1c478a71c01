-- A search by name in a narrow scope (an AC) with a filter few pass starts
-- from the scope's participations rather than from the keys with the
-- prefix state-wide: this index lists an area's participations with what
-- the search joins them by (the person) and shows (the drive, the id),
-- without reading the participations themselves.
CREATE INDEX participations_area ON participations (area_id, person_id, drive_id, id);
