-- Every inbound webhook item as received, deduplicated by the provider's
-- own key, acknowledged to the provider only after this row commits.
CREATE TABLE inbox (
    id           BIGSERIAL PRIMARY KEY,
    provider     TEXT   NOT NULL,
    provider_key TEXT   NOT NULL CHECK (length(provider_key) BETWEEN 1 AND 200),
    kind         TEXT   NOT NULL,
    payload      BYTEA  NOT NULL,
    note         TEXT   NOT NULL DEFAULT '',
    received_at  BIGINT NOT NULL,
    processed_at BIGINT,
    lease_owner  TEXT,
    lease_until  BIGINT,
    UNIQUE (provider, provider_key)
);
CREATE INDEX inbox_pending ON inbox (id) WHERE processed_at IS NULL;
CREATE INDEX inbox_processed ON inbox (processed_at) WHERE processed_at IS NOT NULL;

-- Installation-wide values Jodo generates for itself (the demo's secret key).
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
