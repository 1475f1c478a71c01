-- People's requests received offline and handled by staff (issue 21): an
-- erasure or a consent withdrawn, asked for by phone, letter, in person or
-- email. A row holds nothing of the person but their id: kind, channel and
-- state are from short lists, the staff member is a label and a role, the
-- code only as a keyed hash (blanked once used), and the identity check
-- (people.identity) as a choice from a list and a note without numbers,
-- blanked when the person is erased.
-- state: code_sent (waiting for the code the person reads back), done,
-- locked (too many wrong codes), expired.
CREATE TABLE person_requests (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id       BIGINT NOT NULL REFERENCES people (id),
    kind            TEXT   NOT NULL,
    channel         TEXT   NOT NULL,
    actor           TEXT   NOT NULL,
    actor_role      TEXT   NOT NULL,
    state           TEXT   NOT NULL,
    code_hash       TEXT   NOT NULL DEFAULT '',
    code_expires_at BIGINT,
    tries           BIGINT NOT NULL DEFAULT 0,
    identity_check  TEXT   NOT NULL DEFAULT '',
    identity_note   TEXT   NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    done_at         BIGINT
);
CREATE INDEX person_requests_person ON person_requests (person_id, id);
