-- Volunteers (issue 19): a participation that reached the volunteer stage,
-- with the area the person works in for that drive (an AC or a booth;
-- the volunteers counter moved there) and the languages they work in.
-- The row stays when volunteering ends (ended_at), so the -1 lands where
-- the +1 did; volunteering again starts it anew.
CREATE TABLE volunteers (
    participation_id BIGINT PRIMARY KEY REFERENCES participations (id),
    person_id        BIGINT NOT NULL REFERENCES people (id),
    drive_id         BIGINT NOT NULL REFERENCES drives (id),
    area_id          BIGINT NOT NULL REFERENCES areas (id),
    languages        TEXT   NOT NULL,
    channel          TEXT   NOT NULL,
    started_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    ended_at         BIGINT
);
CREATE INDEX volunteers_drive_area ON volunteers (drive_id, area_id) WHERE ended_at IS NULL;
CREATE INDEX volunteers_person ON volunteers (person_id);

-- A person's handle on a social platform, in the one normal form
-- internal/handles gives it: unique per platform across the installation,
-- one per platform a person.
CREATE TABLE handles (
    id         BIGSERIAL PRIMARY KEY,
    person_id  BIGINT NOT NULL REFERENCES people (id),
    platform   TEXT   NOT NULL,
    handle     TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (platform, handle),
    UNIQUE (person_id, platform)
);

-- Office bearers: a volunteer holding a post (the drive file's post code)
-- at an area. A row is one holding, from its appointment to its vacancy
-- (why: vacated, replaced, volunteering_ended, membership_ended, erased),
-- so the history is the rows. A post that is not "many" has one holder
-- an area, which the partial index keeps even under concurrent appointments.
CREATE TABLE appointments (
    id               BIGSERIAL PRIMARY KEY,
    drive_id         BIGINT NOT NULL REFERENCES drives (id),
    post             TEXT   NOT NULL,
    area_id          BIGINT NOT NULL REFERENCES areas (id),
    person_id        BIGINT NOT NULL REFERENCES people (id),
    participation_id BIGINT NOT NULL REFERENCES participations (id),
    many             INTEGER NOT NULL,
    appointed_at     BIGINT NOT NULL,
    appointed_by     TEXT   NOT NULL,
    vacated_at       BIGINT,
    vacated_by       TEXT   NOT NULL DEFAULT '',
    vacated_why      TEXT   NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX appointments_one_holder ON appointments (drive_id, post, area_id) WHERE vacated_at IS NULL AND many = 0;
CREATE UNIQUE INDEX appointments_held_once ON appointments (drive_id, post, area_id, person_id) WHERE vacated_at IS NULL;
CREATE INDEX appointments_area ON appointments (drive_id, area_id) WHERE vacated_at IS NULL;
CREATE INDEX appointments_person ON appointments (person_id, id);
