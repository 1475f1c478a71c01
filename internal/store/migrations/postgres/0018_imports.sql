-- Imports of people lists (issue 22). An import records its lawful
-- source: the file (name, SHA-256), what the organiser says it is, who
-- ran it and when. state: staging (rows being staged), loading (staged
-- rows moving into people in chunks; resumable), done (counted once, at
-- the end, on day), undone. loaded_through is the last staged line moved.
CREATE TABLE imports (
    id             BIGSERIAL PRIMARY KEY,
    drive_id       BIGINT NOT NULL REFERENCES drives (id),
    file_name      TEXT   NOT NULL,
    file_sha256    TEXT   NOT NULL,
    source         TEXT   NOT NULL,
    as_stage       TEXT   NOT NULL,
    actor          TEXT   NOT NULL,
    day            TEXT   NOT NULL,
    state          TEXT   NOT NULL,
    rows_total     BIGINT NOT NULL DEFAULT 0,
    loaded_through BIGINT NOT NULL DEFAULT 0,
    rows_new       BIGINT NOT NULL DEFAULT 0,
    rows_updated   BIGINT NOT NULL DEFAULT 0,
    rows_unchanged BIGINT NOT NULL DEFAULT 0,
    rows_refused   BIGINT NOT NULL DEFAULT 0,
    created_at     BIGINT NOT NULL,
    finished_at    BIGINT,
    undone_at      BIGINT
);

-- What an import's loaded chunks did, by area and metric (leads,
-- members, volunteers), as each chunk committed: counted into the
-- counters once, when the import finishes (or is undone while loading),
-- so what people do meanwhile is never counted twice or lost.
CREATE TABLE import_counts (
    import_id BIGINT NOT NULL REFERENCES imports (id),
    area_id   BIGINT NOT NULL,
    metric    TEXT   NOT NULL,
    value     BIGINT NOT NULL,
    PRIMARY KEY (import_id, area_id, metric)
);

-- The staging table: an import's checked rows, waiting to be loaded.
-- Purged when the import finishes or is undone; erasure deletes a
-- number's rows here too.
CREATE TABLE import_rows (
    import_id        BIGINT  NOT NULL REFERENCES imports (id),
    line             BIGINT  NOT NULL,
    phone            TEXT    NOT NULL,
    name             TEXT    NOT NULL DEFAULT '',
    area_id          BIGINT  NOT NULL,
    language         TEXT    NOT NULL DEFAULT '',
    languages        TEXT    NOT NULL DEFAULT '',
    volunteer        INTEGER NOT NULL,
    adult            INTEGER NOT NULL,
    adult_evidence   TEXT    NOT NULL DEFAULT '',
    consent_evidence TEXT    NOT NULL DEFAULT '',
    consent_date     TEXT    NOT NULL DEFAULT '',
    whatsapp_optin   INTEGER NOT NULL,
    sms_optin        INTEGER NOT NULL,
    legacy_no        TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (import_id, line)
);

-- What an import created carries its id; legacy_no is the number the
-- source system gave (Jodo issues its own membership numbers).
ALTER TABLE people ADD COLUMN import_id BIGINT REFERENCES imports (id);
ALTER TABLE people ADD COLUMN legacy_no TEXT NOT NULL DEFAULT '';
ALTER TABLE participations ADD COLUMN import_id BIGINT REFERENCES imports (id);
CREATE INDEX people_import ON people (import_id) WHERE import_id IS NOT NULL;
CREATE INDEX participations_import ON participations (import_id, person_id) WHERE import_id IS NOT NULL;

-- The notice an imported person must have been sent before any outreach:
-- queued on a channel the import's consent evidence covers, sent_at set
-- when the provider took it.
CREATE TABLE import_notices (
    person_id BIGINT NOT NULL PRIMARY KEY REFERENCES people (id),
    import_id BIGINT NOT NULL REFERENCES imports (id),
    channel   TEXT   NOT NULL,
    outbox_id BIGINT,
    queued_at BIGINT NOT NULL,
    sent_at   BIGINT
);
CREATE INDEX import_notices_outbox ON import_notices (outbox_id) WHERE outbox_id IS NOT NULL;
