-- The keys a person's name is found by (names.SearchKeys: the folded name
-- from each of its first words on), written with the name by the store
-- function that sets it. A prefix search is a range scan of the primary
-- key, compared byte by byte. Names stored before this migration get their
-- keys when jodo next opens the database (store.DB.BackfillNameKeys): SQL
-- cannot transliterate.
CREATE TABLE person_name_keys (
    key       TEXT   NOT NULL,
    person_id BIGINT NOT NULL REFERENCES people (id),
    PRIMARY KEY (key, person_id)
);
CREATE INDEX person_name_keys_person ON person_name_keys (person_id, key);

-- A search by name walks the keys in order and, for each, the person's
-- participations and their areas: this index answers that (the area, the
-- drive of an area-less lead, the participation) without reading the
-- participations themselves.
CREATE INDEX participations_person_area ON participations (person_id, area_id, drive_id, id);
