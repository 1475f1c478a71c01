-- Door-to-door enrolment (issue 20): a volunteer of a drive asks Jodo to
-- send a code to a member's own phone; the member gives it to them only if
-- they agree. A row holds nothing of the member: their number only as a
-- keyed hash (the number itself stays in the volunteer's form until the
-- member agrees), the code only as a keyed hash bound to the row.
-- state: code_sent, done, locked (too many wrong codes).
CREATE TABLE enrolments (
    id           BIGSERIAL PRIMARY KEY,
    drive_id     BIGINT NOT NULL REFERENCES drives (id),
    volunteer_id BIGINT NOT NULL REFERENCES people (id),
    phone_hash   TEXT   NOT NULL,
    code_hash    TEXT   NOT NULL DEFAULT '',
    state        TEXT   NOT NULL,
    tries        BIGINT NOT NULL DEFAULT 0,
    expires_at   BIGINT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX enrolments_volunteer ON enrolments (volunteer_id, created_at);
CREATE INDEX enrolments_phone ON enrolments (phone_hash, created_at);
-- Erasing an enroller clears registered_by where it names them.
CREATE INDEX participations_registered_by ON participations (registered_by) WHERE registered_by IS NOT NULL;
