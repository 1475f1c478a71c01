package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/jodo-org/jodo/internal/apperr"
)

// Person is someone known to the installation, across all drives. An
// erased person keeps only its id and timestamps.
type Person struct {
	ID           int64
	Name         string
	Language     string
	AreaID       int64  // 0: no area yet
	MembershipNo string // "": none yet
	CreatedAt    time.Time
	UpdatedAt    time.Time
	ErasedAt     time.Time // zero: not erased
}

// CreatePerson stores a new person and returns its id. A membership number
// someone else holds is a conflict. A name given here is found by search
// only once SetNameKeys has written its keys, in the same transaction.
func CreatePerson(ctx context.Context, tx *Tx, p Person) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, `INSERT INTO people (name, language, area_id, membership_no, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT DO NOTHING RETURNING id`,
		p.Name, p.Language, optionalID(p.AreaID), optionalText(p.MembershipNo), ms(tx.Now)).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, apperr.New(apperr.Conflict, "membership number %s is taken", p.MembershipNo)
	case err != nil:
		return 0, fmt.Errorf("store: create person: %w", err)
	}
	return id, nil
}

// GetPerson returns a person, erased ones included (with ErasedAt set).
func GetPerson(ctx context.Context, tx *Tx, id int64) (Person, error) {
	var p Person
	var area, erased sql.NullInt64
	var no sql.NullString
	var created, updated int64
	err := tx.queryRow(ctx, `SELECT id, name, language, area_id, membership_no, created_at, updated_at, erased_at
		FROM people WHERE id = $1`, id).Scan(&p.ID, &p.Name, &p.Language, &area, &no, &created, &updated, &erased)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Person{}, apperr.New(apperr.NotFound, "person %d not found", id)
	case err != nil:
		return Person{}, fmt.Errorf("store: get person %d: %w", id, err)
	}
	p.AreaID, p.MembershipNo = area.Int64, no.String
	p.CreatedAt, p.UpdatedAt, p.ErasedAt = fromMS(created), fromMS(updated), fromNullMS(erased)
	return p, nil
}

// UpdatePersonDetails replaces a person's name, language and area (0: none),
// and the keys the name is searched by (names.SearchKeys of name). An
// erased person cannot be brought back this way: it is not found.
func UpdatePersonDetails(ctx context.Context, tx *Tx, id int64, name, language string, areaID int64, nameKeys []string) error {
	res, err := tx.exec(ctx, `UPDATE people SET name = $1, language = $2, area_id = $3, updated_at = $4
		WHERE id = $5 AND erased_at IS NULL`, name, language, optionalID(areaID), ms(tx.Now), id)
	if err != nil {
		return fmt.Errorf("store: update person %d: %w", id, err)
	}
	if err := livePersonChanged(res, id); err != nil {
		return err
	}
	return SetNameKeys(ctx, tx, id, nameKeys)
}

// GiveMembershipNo gives a live person the membership number no unless
// they have one, and returns their number (no, or the one they had). A
// number someone else holds is a conflict, and the transaction stays
// usable so the caller can draw another number.
//
// The update itself skips a number someone holds, so a conflict needs no
// savepoint (two statements more a registration). Only a transaction that
// gives the same number at the same moment and commits first can still
// break the unique index (PostgreSQL): that aborts this transaction, and
// Update runs it again (retryable), when the number is seen as taken, inside
// a savepoint (Isolate) as well.
func GiveMembershipNo(ctx context.Context, tx *Tx, id int64, no string) (string, error) {
	if no == "" {
		return "", apperr.New(apperr.Invalid, "membership number is empty")
	}
	res, err := tx.exec(ctx, `UPDATE people SET membership_no = $1, updated_at = $2
		WHERE id = $3 AND erased_at IS NULL AND membership_no IS NULL
			AND NOT EXISTS (SELECT 1 FROM people h WHERE h.membership_no = $1)`, no, ms(tx.Now), id)
	if err != nil {
		return "", fmt.Errorf("store: set membership number of person %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return no, err
	}
	p, err := GetPerson(ctx, tx, id) // erased, missing, numbered before, or the number is taken
	switch {
	case err == nil && !p.ErasedAt.IsZero():
		return "", apperr.New(apperr.NotFound, "person %d not found or erased", id)
	case err == nil && p.MembershipNo == "":
		return "", apperr.New(apperr.Conflict, "membership number %s is taken", no)
	}
	return p.MembershipNo, err
}

// Registering is what registering a person writes (people.Register): their
// details and name search keys, their consents, and a membership number
// unless they have one.
type Registering struct {
	PersonID        int64
	ParticipationID int64 // read back with the person's contacts
	Name, Language  string
	AreaID          int64
	NameKeys        []string
	Number          string // a new membership number, given unless the person has one
	// The purposes consented to, under one notice, in Language, on
	// Channel, shown by Evidence (as Consent's).
	Purposes                         []string
	NoticeVersion, Channel, Evidence string
}

// Registered is what WriteRegistration read back.
type Registered struct {
	// Number is the person's membership number: Registering.Number, or the
	// one they had; "" when that number is someone else's (draw another:
	// GiveMembershipNo).
	Number        string
	Participation Participation
	Contacts      []Contact // oldest first
}

// WriteRegistration writes r for a live person and reads back their
// participation and contact points. The details and the number are one
// update of the person's row, which gives the number only where
// GiveMembershipNo would (they have none, nobody holds it). On PostgreSQL
// it is one round trip, where it was six: through +500 µs each way a
// registration's round trips were most of the bot's waits.
func WriteRegistration(ctx context.Context, tx *Tx, r Registering) (Registered, error) {
	if r.Number == "" {
		return Registered{}, apperr.New(apperr.Invalid, "membership number is empty")
	}
	var out Registered
	live := false
	stmts := []pgStmt{{query: `UPDATE people SET name = $1, language = $2, area_id = $3, updated_at = $4,
			membership_no = CASE WHEN membership_no IS NOT NULL THEN membership_no
				WHEN NOT EXISTS (SELECT 1 FROM people h WHERE h.membership_no = $6) THEN $6 END
		WHERE id = $5 AND erased_at IS NULL RETURNING COALESCE(membership_no, '')`,
		args: []any{r.Name, r.Language, optionalID(r.AreaID), ms(tx.Now), r.PersonID, r.Number},
		scan: func(rows rowScanner) error {
			for rows.Next() {
				live = true
				if err := rows.Scan(&out.Number); err != nil {
					return err
				}
			}
			return rows.Err()
		}}}
	stmts = append(stmts, nameKeysStmts(r.PersonID, r.NameKeys)...)
	if len(r.Purposes) > 0 {
		args := []any{r.PersonID, r.NoticeVersion, r.Language, r.Channel, r.Evidence, ms(tx.Now)}
		marks := make([]string, len(r.Purposes))
		for i, purpose := range r.Purposes {
			if err := checkConsent(purpose, r.NoticeVersion, r.Channel); err != nil {
				return Registered{}, err
			}
			args = append(args, purpose)
			marks[i] = fmt.Sprintf("(CAST($%d AS TEXT))", len(args))
		}
		// Guarded as the name keys are: nothing is recorded of someone erased.
		stmts = append(stmts, pgStmt{query: `INSERT INTO consents
			(person_id, purpose, notice_version, language, channel, evidence, granted_at, withdrawn_at)
			SELECT CAST($1 AS BIGINT), column1, CAST($2 AS TEXT), CAST($3 AS TEXT), CAST($4 AS TEXT), CAST($5 AS TEXT), CAST($6 AS BIGINT), NULL
			FROM (VALUES ` + strings.Join(marks, ", ") + `) AS v
			WHERE EXISTS (SELECT 1 FROM people WHERE id = $1 AND erased_at IS NULL)` + consentUpsert, args: args})
	}
	found := false
	stmts = append(stmts, pgStmt{query: "SELECT " + participationColumns + " FROM participations WHERE id = $1",
		args: []any{r.ParticipationID}, scan: func(rows rowScanner) error {
			for rows.Next() {
				p, err := scanParticipation(rows)
				if err != nil {
					return err
				}
				out.Participation, found = p, true
			}
			return rows.Err()
		}},
		pgStmt{query: contactsQuery, args: []any{r.PersonID}, scan: func(rows rowScanner) (err error) {
			out.Contacts, err = scanContactRows(rows)
			return err
		}})
	if err := tx.batch(ctx, stmts...); err != nil {
		return Registered{}, fmt.Errorf("store: register person %d: %w", r.PersonID, err)
	}
	switch {
	case !live:
		return Registered{}, apperr.New(apperr.NotFound, "person %d not found or erased", r.PersonID)
	case !found:
		return Registered{}, apperr.New(apperr.NotFound, "participation %d not found", r.ParticipationID)
	}
	return out, nil
}

// ErasePerson removes a person's personal data: name, language, area and
// membership number are cleared, the name's search keys, contact points
// and consent records are deleted. Participations stay, holding only ids and times, and counters
// are never decremented: erasure keeps aggregate counts. It returns the
// deleted contact points so the caller can keep keyed hashes of phones as
// suppressions. Erasing an erased person again returns no contact points.
func ErasePerson(ctx context.Context, tx *Tx, id int64) ([]Contact, error) {
	now := ms(tx.Now)
	res, err := tx.exec(ctx, `UPDATE people SET name = '', language = '', area_id = NULL, membership_no = NULL,
		updated_at = $1, erased_at = COALESCE(erased_at, $1) WHERE id = $2`, now, id)
	if err != nil {
		return nil, fmt.Errorf("store: erase person %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return nil, fmt.Errorf("store: erase person %d: %w", id, err)
	} else if n == 0 {
		return nil, apperr.New(apperr.NotFound, "person %d not found", id)
	}
	if _, err := tx.exec(ctx, "DELETE FROM consents WHERE person_id = $1", id); err != nil {
		return nil, fmt.Errorf("store: erase consents of person %d: %w", id, err)
	}
	if err := SetNameKeys(ctx, tx, id, nil); err != nil {
		return nil, err
	}
	return deleteContacts(ctx, tx, id)
}

func livePersonChanged(res sql.Result, id int64) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: update person %d: %w", id, err)
	}
	if n == 0 {
		return apperr.New(apperr.NotFound, "person %d not found or erased", id)
	}
	return nil
}

// Isolate runs fn in a savepoint of tx: if fn fails, what it wrote is
// undone and tx goes on (one conversation's failure does not sink a batch).
// Except when the failure is the transaction's own, one that Update retries
// whole (a deadlock, a serialization conflict, two transactions giving the
// same membership number): then tx is doomed, its later statements fail
// with that error, it does not commit, and Update runs it all again.
func Isolate(ctx context.Context, tx *Tx, fn func() error) error {
	return savepoint(ctx, tx, "jodo_isolate", fn)
}

func savepoint(ctx context.Context, tx *Tx, name string, fn func() error) error {
	if _, err := tx.exec(ctx, "SAVEPOINT "+name); err != nil {
		return err
	}
	counted := len(tx.counters)
	tx.savepoints++ // statements kept for COMMIT run at once in here: their failure is fn's
	err := fn()
	tx.savepoints--
	if err != nil && retryable(err) {
		// A deadlock or a conflict is the transaction's, not fn's: it is
		// retried whole (Update), not set aside as this piece's failure.
		// The savepoint is left as it is; nothing more will commit.
		tx.doomed = err
		return err
	}
	if err != nil {
		tx.counters = tx.counters[:counted] // what fn counted is undone with its rows
		if _, rbErr := tx.exec(ctx, "ROLLBACK TO SAVEPOINT "+name); rbErr != nil {
			return errors.Join(err, rbErr)
		}
		if _, relErr := tx.exec(ctx, "RELEASE SAVEPOINT "+name); relErr != nil {
			return errors.Join(err, relErr)
		}
		return err
	}
	_, err = tx.exec(ctx, "RELEASE SAVEPOINT "+name)
	return err
}

// uniqueViolation reports whether err is a unique constraint failing, on
// either engine.
func uniqueViolation(err error) bool {
	if pgErr, ok := errors.AsType[*pgconn.PgError](err); ok {
		return pgErr.Code == "23505"
	}
	if liteErr, ok := errors.AsType[*sqlite.Error](err); ok {
		return liteErr.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE
	}
	return false
}

// optionalID stores a zero id as NULL.
func optionalID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// optionalText stores an empty string as NULL.
func optionalText(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

// EndMembership takes back a live person's membership number (a card or
// /verify then finds no member) and their registration in every drive,
// so that no drive holds them as a member. Counters are not touched: what
// was counted stays counted; joining again later is a new join.
func EndMembership(ctx context.Context, tx *Tx, id int64) error {
	res, err := tx.exec(ctx, `UPDATE people SET membership_no = NULL, updated_at = $1 WHERE id = $2 AND erased_at IS NULL`, ms(tx.Now), id)
	if err != nil {
		return fmt.Errorf("store: end membership of person %d: %w", id, err)
	}
	if err := livePersonChanged(res, id); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE participations SET registered_at = NULL, verified_at = NULL
		WHERE person_id = $1 AND registered_at IS NOT NULL`, id); err != nil {
		return fmt.Errorf("store: end membership of person %d: %w", id, err)
	}
	return nil
}
