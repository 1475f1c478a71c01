-- PostgreSQL only (jodo_retry, a function SQLite's one writer never needs);
-- kept so both engines' schemas carry the same version.
SELECT 1;
