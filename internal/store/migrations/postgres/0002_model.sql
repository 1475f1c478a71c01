-- Codes and paths compare bytewise (COLLATE "C"), as on SQLite: "under X"
-- is a range scan [path, path with its last '/' → '0'), which a
-- linguistic collation would break.
--
-- Areas: every tree (electoral, districts, a party's own units) in one
-- table. kind is data. path is the materialized chain of codes
-- ("/IN/JH/JH-PC-08/JH-AC-063/"), so "everything under X" is a range scan.
-- Areas are retired, never deleted.
CREATE TABLE areas (
    id            BIGSERIAL PRIMARY KEY,
    code          TEXT   COLLATE "C" NOT NULL UNIQUE,
    kind          TEXT   NOT NULL,
    number        TEXT   NOT NULL DEFAULT '',
    name_en       TEXT   NOT NULL,
    name_local    TEXT   NOT NULL DEFAULT '',
    reservation   TEXT   NOT NULL DEFAULT '',
    parent_code   TEXT   COLLATE "C",
    district_code TEXT   COLLATE "C",
    path          TEXT   COLLATE "C" NOT NULL UNIQUE,
    weights       TEXT   NOT NULL DEFAULT '{}',
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    retired_at    BIGINT
);
CREATE INDEX areas_parent ON areas (parent_code, code);
CREATE INDEX areas_kind ON areas (kind, code);
CREATE INDEX areas_district ON areas (district_code);

CREATE TABLE area_aliases (
    area_id BIGINT NOT NULL REFERENCES areas (id),
    alias   TEXT   NOT NULL,
    PRIMARY KEY (area_id, alias)
);

-- People are installation-wide; their ways of being reached are contact
-- points (phone E.164, wa_id, bsuid …), each unique.
CREATE TABLE people (
    id            BIGSERIAL PRIMARY KEY,
    name          TEXT   NOT NULL DEFAULT '',
    language      TEXT   NOT NULL DEFAULT '',
    area_id       BIGINT REFERENCES areas (id),
    membership_no TEXT   UNIQUE,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    erased_at     BIGINT
);

CREATE TABLE contact_points (
    id          BIGSERIAL PRIMARY KEY,
    person_id   BIGINT NOT NULL REFERENCES people (id),
    kind        TEXT   NOT NULL,
    value       TEXT   NOT NULL,
    verified_at BIGINT,
    created_at  BIGINT NOT NULL,
    UNIQUE (kind, value)
);
CREATE INDEX contact_points_person ON contact_points (person_id);

CREATE TABLE drives (
    id           BIGSERIAL PRIMARY KEY,
    slug         TEXT    NOT NULL UNIQUE,
    name         TEXT    NOT NULL,
    starts_on    TEXT    NOT NULL,
    ends_on      TEXT    NOT NULL,
    timezone     TEXT    NOT NULL,
    root_area_id BIGINT  NOT NULL REFERENCES areas (id),
    version      INTEGER NOT NULL,
    file         TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL
);

-- A number belongs to one drive at a time: overlapping windows on one
-- number are refused when a drive file is applied.
CREATE TABLE drive_channels (
    id          BIGSERIAL PRIMARY KEY,
    drive_id    BIGINT NOT NULL REFERENCES drives (id),
    kind        TEXT   NOT NULL,
    number      TEXT   NOT NULL,
    secret_env  TEXT   NOT NULL DEFAULT '',
    secret_file TEXT   NOT NULL DEFAULT '',
    UNIQUE (drive_id, kind, number)
);
CREATE INDEX drive_channels_number ON drive_channels (number);

-- Targets expanded from the drive file's rules; explicit = 1 when a rule
-- set it, 0 when it is the sum of the children's.
CREATE TABLE targets (
    drive_id BIGINT  NOT NULL REFERENCES drives (id),
    area_id  BIGINT  NOT NULL REFERENCES areas (id),
    metric   TEXT    NOT NULL,
    value    BIGINT  NOT NULL,
    explicit INTEGER NOT NULL,
    PRIMARY KEY (drive_id, area_id, metric)
);

-- A person in a drive: the time each funnel stage was reached, set once
-- by guarded updates that move the counters in the same transaction.
CREATE TABLE participations (
    id               BIGSERIAL PRIMARY KEY,
    person_id        BIGINT NOT NULL REFERENCES people (id),
    drive_id         BIGINT NOT NULL REFERENCES drives (id),
    channel          TEXT   NOT NULL,
    area_id          BIGINT REFERENCES areas (id),
    referred_by      BIGINT REFERENCES people (id),
    registered_by    BIGINT REFERENCES people (id),
    first_seen_at    BIGINT NOT NULL,
    lead_at          BIGINT,
    registered_at    BIGINT,
    verified_at      BIGINT,
    volunteer_at     BIGINT,
    active_at        BIGINT,
    last_followup_at BIGINT,
    UNIQUE (person_id, drive_id)
);
CREATE INDEX participations_drive ON participations (drive_id);

-- One row per (person, purpose). withdrawn_at set = withdrawn; no row =
-- never granted.
CREATE TABLE consents (
    person_id      BIGINT NOT NULL REFERENCES people (id),
    purpose        TEXT   NOT NULL,
    notice_version TEXT   NOT NULL,
    language       TEXT   NOT NULL,
    channel        TEXT   NOT NULL,
    evidence       TEXT   NOT NULL DEFAULT '',
    granted_at     BIGINT NOT NULL,
    withdrawn_at   BIGINT,
    PRIMARY KEY (person_id, purpose)
);

-- Keyed hashes (HMAC with JODO_SECRET_KEY) of phones that must not be
-- recreated or contacted.
CREATE TABLE suppressions (
    hash       TEXT   PRIMARY KEY,
    reason     TEXT   NOT NULL,
    created_at BIGINT NOT NULL
);

-- Counters: cumulative "reached this stage" events. counters holds each
-- event at the most specific area known; counter_totals holds the same
-- deltas added to that area and every ancestor on its path, so progress
-- for any area and day range reads a few hundred rows, never people.
CREATE TABLE counters (
    drive_id BIGINT NOT NULL,
    area_id  BIGINT NOT NULL,
    metric   TEXT   NOT NULL,
    day      TEXT   NOT NULL,
    channel  TEXT   NOT NULL,
    value    BIGINT NOT NULL,
    PRIMARY KEY (drive_id, area_id, metric, day, channel)
);

CREATE TABLE counter_totals (
    drive_id BIGINT NOT NULL,
    area_id  BIGINT NOT NULL,
    metric   TEXT   NOT NULL,
    day      TEXT   NOT NULL,
    channel  TEXT   NOT NULL,
    value    BIGINT NOT NULL,
    PRIMARY KEY (drive_id, area_id, metric, day, channel)
);

-- API tokens: only a hash is stored. areas is a comma-separated list of
-- area codes; a token sees exactly their subtrees.
CREATE TABLE api_tokens (
    id           BIGSERIAL PRIMARY KEY,
    name         TEXT   NOT NULL,
    hash         TEXT   NOT NULL UNIQUE,
    role         TEXT   NOT NULL,
    areas        TEXT   NOT NULL,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at   BIGINT
);
CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens (name) WHERE revoked_at IS NULL;
