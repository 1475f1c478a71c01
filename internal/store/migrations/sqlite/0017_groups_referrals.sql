-- Groups a volunteer runs (issue 20). A group is unique across the
-- installation by the keyed hash of its invite (kind and code; a key
-- derived from JODO_SECRET_KEY for this alone); the invite itself is kept
-- only sealed (AES-GCM under another derived key) for its owner and
-- admins. state: live, lapsed (not re-confirmed in 30 days), invalid
-- (marked by a coordinator), removed (by its owner), ended (its owner
-- stopped volunteering or was erased: hash and seal dropped, so someone
-- else may register it). The groups counter moves with live.
CREATE TABLE chat_groups (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    drive_id         BIGINT NOT NULL REFERENCES drives (id),
    person_id        BIGINT NOT NULL REFERENCES people (id),
    participation_id BIGINT NOT NULL REFERENCES participations (id),
    area_id          BIGINT NOT NULL REFERENCES areas (id),
    kind             TEXT   NOT NULL,
    code_hash        TEXT   UNIQUE,
    code_sealed      TEXT   NOT NULL DEFAULT '',
    name             TEXT   NOT NULL DEFAULT '',
    language         TEXT   NOT NULL DEFAULT '',
    size             TEXT   NOT NULL DEFAULT '',
    channel          TEXT   NOT NULL,
    state            TEXT   NOT NULL,
    registered_at    BIGINT NOT NULL,
    confirmed_at     BIGINT NOT NULL,
    reminded         INTEGER NOT NULL DEFAULT 0,
    state_at         BIGINT NOT NULL,
    state_by         TEXT   NOT NULL DEFAULT '',
    state_reason     TEXT   NOT NULL DEFAULT ''
);
CREATE INDEX chat_groups_person ON chat_groups (person_id, drive_id);
CREATE INDEX chat_groups_area ON chat_groups (drive_id, area_id, state);
CREATE INDEX chat_groups_due ON chat_groups (state, confirmed_at);

-- A member's referral code (/r/{code}, JOIN in the bot): found by its
-- keyed hash, kept sealed so that its owner can be shown it again.
CREATE TABLE referral_codes (
    person_id   BIGINT NOT NULL PRIMARY KEY REFERENCES people (id),
    code_hash   TEXT   NOT NULL UNIQUE,
    code_sealed TEXT   NOT NULL,
    created_at  BIGINT NOT NULL
);

-- Recruiters' credit per drive: verified members they brought in directly
-- and up to three levels below, credited when the recruit is verified, so
-- leaderboards read these rows and never people. area_id is the
-- recruiter's area in the drive when first credited.
CREATE TABLE recruiter_credits (
    drive_id   BIGINT NOT NULL REFERENCES drives (id),
    person_id  BIGINT NOT NULL REFERENCES people (id),
    area_id    BIGINT REFERENCES areas (id),
    direct     BIGINT NOT NULL DEFAULT 0,
    indirect   BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (drive_id, person_id)
);
CREATE INDEX recruiter_credits_top ON recruiter_credits (drive_id, direct DESC, indirect DESC, person_id);

-- What a registration came from, kept 30 days for the velocity flags: the
-- client's network prefix (as sign-in keeps it) and a device cookie's
-- keyed hash.
CREATE TABLE registration_marks (
    participation_id BIGINT NOT NULL PRIMARY KEY REFERENCES participations (id),
    drive_id         BIGINT NOT NULL,
    network          TEXT   NOT NULL DEFAULT '',
    device           TEXT   NOT NULL DEFAULT '',
    at               BIGINT NOT NULL
);
CREATE INDEX registration_marks_network ON registration_marks (drive_id, network, at);
CREATE INDEX registration_marks_device ON registration_marks (drive_id, device, at);

-- The participations whose verification credited their referrers: a
-- recruit credits once, however often they leave and join again.
CREATE TABLE referral_credited (
    participation_id BIGINT NOT NULL PRIMARY KEY REFERENCES participations (id),
    at               BIGINT NOT NULL
);

-- A recruiter's referred participations by when they were verified (the
-- velocity flags' recruits); only referred rows, so the hot path's
-- inserts of unreferred leads pay nothing.
CREATE INDEX participations_referred ON participations (drive_id, referred_by, verified_at) WHERE referred_by IS NOT NULL;
