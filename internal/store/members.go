package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jodo-org/jodo/internal/apperr"
)

// Member is what a card and its verification page show of a member.
type Member struct {
	PersonID       int64
	Number         string
	Name           string
	Language       string
	AreaNameEN     string
	AreaNameLocal  string
	DriveName      string // the drive they last registered in
	DriveNameLocal string // its name in Hindi, "" when it has none
	Verified       bool   // verified in that drive
}

// MemberByNumber finds a live member by canonical membership number; an
// erased or unknown number is not_found.
func (db *DB) MemberByNumber(ctx context.Context, number string) (Member, error) {
	var m Member
	var verified sql.NullInt64
	err := db.read.QueryRowContext(ctx, `SELECT p.id, p.membership_no, p.name, p.language,
			COALESCE(a.name_en, ''), COALESCE(a.name_local, ''), COALESCE(d.name, ''), COALESCE(d.name_local, ''), pa.verified_at
		FROM people p
		LEFT JOIN areas a ON a.id = p.area_id
		LEFT JOIN participations pa ON pa.id = (SELECT id FROM participations WHERE person_id = p.id AND registered_at IS NOT NULL
			ORDER BY registered_at DESC, id DESC LIMIT 1)
		LEFT JOIN drives d ON d.id = pa.drive_id
		WHERE p.membership_no = $1 AND p.erased_at IS NULL`, number).
		Scan(&m.PersonID, &m.Number, &m.Name, &m.Language, &m.AreaNameEN, &m.AreaNameLocal, &m.DriveName, &m.DriveNameLocal, &verified)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Member{}, apperr.New(apperr.NotFound, "no member %s", number)
	case err != nil:
		return Member{}, fmt.Errorf("store: member %s: %w", number, err)
	}
	m.Verified = verified.Valid
	return m, nil
}
