-- Sign-in codes (DESIGN.md §7). Only a keyed hash of (phone, code) is
-- stored. The rows are also the rate limits' memory: codes per phone, per
-- client address prefix (an IPv4 address, an IPv6 /64) and in all are
-- counted over a window. Old rows are purged (PurgeSignin).
CREATE TABLE otp_codes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    phone      TEXT    NOT NULL,
    code_hash  TEXT    NOT NULL,
    ip_prefix  TEXT    NOT NULL,
    created_at BIGINT  NOT NULL,
    expires_at BIGINT  NOT NULL,
    tries      INTEGER NOT NULL DEFAULT 0,
    used_at    BIGINT
);
CREATE INDEX otp_codes_phone ON otp_codes (phone, created_at);
CREATE INDEX otp_codes_ip ON otp_codes (ip_prefix, created_at);
CREATE INDEX otp_codes_created ON otp_codes (created_at);

-- Signed-in browsers: only a keyed hash of the cookie's token is stored.
-- expires_at is the absolute timeout; the idle timeout runs from
-- last_seen_at, which is moved at most once a minute.
CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash   TEXT   NOT NULL UNIQUE,
    person_id    BIGINT NOT NULL REFERENCES people (id),
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    revoked_at   BIGINT
);
CREATE INDEX sessions_person ON sessions (person_id) WHERE revoked_at IS NULL;
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Who did what to whose data: reveals, exports, erasure, sign-ins. It
-- outlives erasure, so detail never holds personal data; person_id is
-- NULL for actions on no one in particular.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        BIGINT NOT NULL,
    actor     TEXT   NOT NULL,
    action    TEXT   NOT NULL,
    person_id BIGINT,
    detail    TEXT   NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_person ON audit_log (person_id, id) WHERE person_id IS NOT NULL;

-- The person a raw item made or found, so erasing them finds its payload.
ALTER TABLE inbox ADD COLUMN person_id BIGINT;
CREATE INDEX inbox_person ON inbox (person_id) WHERE person_id IS NOT NULL;

-- Messages tied to no person (a sign-in code to a number nobody has yet)
-- are found by their address when the number's person is erased.
CREATE INDEX outbox_unlinked_to ON outbox (to_address) WHERE person_id IS NULL;
