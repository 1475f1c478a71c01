-- The links a follow-up carries (DESIGN.md §5): a registration token for
-- /j/{token} and a join code for the WhatsApp chat, both bound to one
-- participation (one person in one drive) and made together, so one row
-- holds both. Only keyed hashes are stored: the token has ~65 bits and the
-- code ~49, little enough to brute-force from a leaked table if the hash
-- had no secret key. Each is used once, independently; code_hash is NULL
-- for a link sent where no chat needs linking.
CREATE TABLE join_links (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    participation_id BIGINT NOT NULL REFERENCES participations (id),
    token_hash       TEXT   NOT NULL UNIQUE,
    code_hash        TEXT   UNIQUE,
    created_at       BIGINT NOT NULL,
    expires_at       BIGINT NOT NULL,
    token_used_at    BIGINT,
    code_used_at     BIGINT
);
CREATE INDEX join_links_participation ON join_links (participation_id);
