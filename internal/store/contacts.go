package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
)

// Kinds of contact point: the ways a person can be reached.
const (
	ContactPhone = "phone" // E.164: "+919876543210"
	ContactWAID  = "wa_id" // WhatsApp's id for the user, usually their number without "+"
	ContactBSUID = "bsuid" // WhatsApp's business-scoped user id
)

// Contact is one way of reaching a person. Each (Kind, Value) belongs to
// one person only.
type Contact struct {
	ID         int64
	PersonID   int64
	Kind       string
	Value      string
	VerifiedAt time.Time // zero: not proven yet
	CreatedAt  time.Time
}

// AddContact gives a person a contact point. One that belongs to anyone
// already, this person included, is a conflict.
func AddContact(ctx context.Context, tx *Tx, personID int64, kind, value string) error {
	if err := validateContact(kind, value); err != nil {
		return err
	}
	res, err := tx.exec(ctx, `INSERT INTO contact_points (person_id, kind, value, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (kind, value) DO NOTHING`, personID, kind, value, ms(tx.Now))
	if err != nil {
		return fmt.Errorf("store: add contact to person %d: %w", personID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: add contact to person %d: %w", personID, err)
	}
	if n == 0 {
		// The value stays out of the message: it is personal data.
		return apperr.New(apperr.Conflict, "this %s already belongs to someone", kind)
	}
	return nil
}

// FindByContact returns the person a contact point belongs to.
func FindByContact(ctx context.Context, tx *Tx, kind, value string) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, "SELECT person_id FROM contact_points WHERE kind = $1 AND value = $2", kind, value).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, apperr.New(apperr.NotFound, "nobody has this %s", kind)
	case err != nil:
		return 0, fmt.Errorf("store: find by %s: %w", kind, err)
	}
	return id, nil
}

// Contacts lists a person's contact points, oldest first.
func Contacts(ctx context.Context, tx *Tx, personID int64) ([]Contact, error) {
	rows, err := tx.query(ctx, contactsQuery, personID)
	if err != nil {
		return nil, fmt.Errorf("store: contacts of person %d: %w", personID, err)
	}
	return scanContacts(rows)
}

const contactsQuery = `SELECT id, person_id, kind, value, verified_at, created_at
		FROM contact_points WHERE person_id = $1 ORDER BY id`

// VerifyContact records that a contact point was proven (an OTP, a link
// sent to it, the WhatsApp channel itself). changed is false when it was
// proven before.
func VerifyContact(ctx context.Context, tx *Tx, kind, value string) (changed bool, err error) {
	res, err := tx.exec(ctx, `UPDATE contact_points SET verified_at = $1
		WHERE kind = $2 AND value = $3 AND verified_at IS NULL`, ms(tx.Now), kind, value)
	if err != nil {
		return false, fmt.Errorf("store: verify %s: %w", kind, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: verify %s: %w", kind, err)
	}
	if n == 0 {
		_, err := FindByContact(ctx, tx, kind, value)
		return false, err
	}
	return true, nil
}

// VerifyContactsOf records, in one statement, that the contact points of
// proven that are the person's were proven (those proven before keep
// their time) and returns those.
func VerifyContactsOf(ctx context.Context, tx *Tx, personID int64, proven []Contact) ([]Contact, error) {
	if len(proven) == 0 {
		return nil, nil
	}
	q, args := verifyContactsStmt(tx, personID, proven)
	rows, err := tx.query(ctx, q+" RETURNING kind, value", args...)
	if err != nil {
		return nil, fmt.Errorf("store: verify contacts of person %d: %w", personID, err)
	}
	defer rows.Close()
	var held []Contact
	for rows.Next() {
		c := Contact{PersonID: personID}
		if err := rows.Scan(&c.Kind, &c.Value); err != nil {
			return nil, fmt.Errorf("store: verify contacts of person %d: %w", personID, err)
		}
		held = append(held, c)
	}
	return held, rows.Err()
}

// verifyContactsStmt is VerifyContactsOf's update.
func verifyContactsStmt(tx *Tx, personID int64, proven []Contact) (string, []any) {
	args := []any{ms(tx.Now), personID}
	var which []string
	for _, c := range proven {
		args = append(args, c.Kind, c.Value)
		which = append(which, fmt.Sprintf("(kind = $%d AND value = $%d)", len(args)-1, len(args)))
	}
	return `UPDATE contact_points SET verified_at = COALESCE(verified_at, $1)
		WHERE person_id = $2 AND (` + strings.Join(which, " OR ") + `)`, args
}

// deleteContacts deletes a person's contact points and returns them.
func deleteContacts(ctx context.Context, tx *Tx, personID int64) ([]Contact, error) {
	rows, err := tx.query(ctx, `DELETE FROM contact_points WHERE person_id = $1
		RETURNING id, person_id, kind, value, verified_at, created_at`, personID)
	if err != nil {
		return nil, fmt.Errorf("store: delete contacts of person %d: %w", personID, err)
	}
	contacts, err := scanContacts(rows)
	// RETURNING order is unspecified.
	slices.SortFunc(contacts, func(a, b Contact) int { return cmp.Compare(a.ID, b.ID) })
	return contacts, err
}

func scanContacts(rows *sql.Rows) ([]Contact, error) {
	defer rows.Close()
	return scanContactRows(rows)
}

func scanContactRows(rows rowScanner) ([]Contact, error) {
	var out []Contact
	for rows.Next() {
		var c Contact
		var verified sql.NullInt64
		var created int64
		if err := rows.Scan(&c.ID, &c.PersonID, &c.Kind, &c.Value, &verified, &created); err != nil {
			return nil, fmt.Errorf("store: scan contact: %w", err)
		}
		c.VerifiedAt, c.CreatedAt = fromNullMS(verified), fromMS(created)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: scan contact: %w", err)
	}
	return out, nil
}

func validateContact(kind, value string) error {
	switch kind {
	case ContactPhone:
		if !isE164(value) {
			return apperr.New(apperr.Invalid, "a phone number must be in international form, like +919876543210")
		}
	case ContactWAID, ContactBSUID:
		if value == "" {
			return apperr.New(apperr.Invalid, "empty %s", kind)
		}
	default:
		return apperr.New(apperr.Invalid, "unknown contact kind %q", kind)
	}
	return nil
}

// isE164 checks the shape only ("+", then 7 to 15 digits, no leading 0),
// so one number is never stored in two spellings.
func isE164(s string) bool {
	if len(s) < 8 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return false
	}
	for _, r := range s[1:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
