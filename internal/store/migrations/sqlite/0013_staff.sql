-- Staff: a role (a set of permissions, docs/access.md) held by a person
-- over a scope of area codes (a district stands for its live ACs). One
-- live row per person and role; a removed role keeps its row, revoked.
CREATE TABLE staff_roles (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id  BIGINT NOT NULL REFERENCES people (id),
    role       TEXT   NOT NULL,
    areas      TEXT   NOT NULL,
    granted_at BIGINT NOT NULL,
    granted_by TEXT   NOT NULL,
    revoked_at BIGINT,
    revoked_by TEXT   NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX staff_roles_live ON staff_roles (person_id, role) WHERE revoked_at IS NULL;

-- One-time sign-in links (jodo staff link): only a hash of the token,
-- 15 minutes, used once.
CREATE TABLE signin_links (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT   NOT NULL UNIQUE,
    person_id  BIGINT NOT NULL REFERENCES people (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT,
    created_by TEXT   NOT NULL
);
CREATE INDEX signin_links_person ON signin_links (person_id);

-- The audit log, complete for staff: the scope in force, the area an
-- action was about, how many rows it touched, the reason given, and the
-- person a merge folded in (entries are only added, never rewritten).
ALTER TABLE audit_log ADD COLUMN scope TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN area_id BIGINT;
ALTER TABLE audit_log ADD COLUMN row_count BIGINT;
ALTER TABLE audit_log ADD COLUMN reason TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN merged_id BIGINT;
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE INDEX audit_log_area ON audit_log (area_id, id) WHERE area_id IS NOT NULL;
CREATE INDEX audit_log_merged ON audit_log (merged_id) WHERE merged_id IS NOT NULL;
