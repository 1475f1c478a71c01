-- jodo_retry aborts the statement that calls it with a serialization failure
-- (SQLSTATE 40001), which store.DB.Update answers by running the whole
-- transaction again. A batch of missed calls that sends its COMMIT in the
-- same round trip as its statement (store.RecordCallsLast) calls it when a
-- caller's phone was registered by another transaction meanwhile: that
-- case needs statements of its own before COMMIT, and the retry sees the
-- other transaction's person and takes the ordinary way.
CREATE FUNCTION jodo_retry(reason TEXT) RETURNS BIGINT LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = '40001', MESSAGE = reason;
END
$$;
