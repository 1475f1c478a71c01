package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// MaxExportPage is the most rows an export reads in one read transaction:
// enough to amortise a transaction, short enough that SQLite's WAL
// checkpoints never wait long behind it.
const MaxExportPage = 2000

// exportLimit is an export page's size asked for as n: MaxExportPage for
// 0 or less, at most MaxExportPage.
func exportLimit(n int) int {
	if n <= 0 {
		return MaxExportPage
	}
	return min(n, MaxExportPage)
}

// ExportPerson is one participation of a live person as exports write
// it: the person's first phone (or "+" and their WhatsApp id) whole, for
// the caller to mask.
type ExportPerson struct {
	ParticipationID, PersonID int64
	Name, MembershipNo        string
	Language                  string
	Area                      Area // code, names and path only; zero: no area yet
	Stage                     Stage
	Channel                   string
	FirstSeen                 time.Time
	Registered, Verified      time.Time // zero: not reached
	Phone                     string
}

// phoneOf is a person's first phone number, else "+" and their first
// WhatsApp id, in SQL on a person id column.
func phoneOf(person string) string {
	return `COALESCE((SELECT c.value FROM contact_points c WHERE c.person_id = ` + person + ` AND c.kind = 'phone' ORDER BY c.id LIMIT 1),
		(SELECT '+' || c.value FROM contact_points c WHERE c.person_id = ` + person + ` AND c.kind = 'wa_id' ORDER BY c.id LIMIT 1), '')`
}

// PeoplePage returns the live people's participations q selects after
// the participation id after, in id order, at most limit (MaxExportPage)
// of them, in one read transaction. q's NameKey, Phone and After are not
// used: an export lists, it does not search.
func (db *DB) PeoplePage(ctx context.Context, q PeopleQuery, after int64, limit int) ([]ExportPerson, error) {
	if len(q.Scope) == 0 {
		return nil, nil
	}
	if err := q.check(); err != nil {
		return nil, err
	}
	w := q.exportWhere()
	w.where("pa.id > $%d", after)
	w.args = append(w.args, exportLimit(limit))
	out := make([]ExportPerson, 0, exportLimit(limit))
	err := db.View(ctx, func(tx *Tx) error {
		areaIDs := make([]sql.NullInt64, 0, exportLimit(limit))
		rows, err := tx.query(ctx, fmt.Sprintf(`SELECT pa.id, pa.person_id, p.name, COALESCE(p.membership_no, ''), p.language, pa.area_id,
			`+stageOf+`, pa.channel, pa.first_seen_at, pa.registered_at, pa.verified_at, `+phoneOf("pa.person_id")+`
			FROM participations pa JOIN people p ON p.id = pa.person_id LEFT JOIN areas a ON a.id = pa.area_id
			WHERE %s ORDER BY pa.id LIMIT $%d`, w.sql(), len(w.args)), w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r ExportPerson
			var first int64
			var area, registered, verified sql.NullInt64
			if err := rows.Scan(&r.ParticipationID, &r.PersonID, &r.Name, &r.MembershipNo, &r.Language, &area,
				&r.Stage, &r.Channel, &first, &registered, &verified, &r.Phone); err != nil {
				return err
			}
			r.FirstSeen, r.Registered, r.Verified = fromMS(first), fromNullMS(registered), fromNullMS(verified)
			out = append(out, r)
			areaIDs = append(areaIDs, area)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return placeRows(ctx, tx, out, areaIDs)
	})
	if err != nil {
		return nil, fmt.Errorf("store: people page: %w", err)
	}
	return out, nil
}

// placeRows gives each row the area of its id in ids (code, names and
// path), read once for the page: a page's thousands of rows lie in a few
// dozen areas, and reading them with every row was a third of an
// export's columns.
func placeRows(ctx context.Context, tx *Tx, out []ExportPerson, ids []sql.NullInt64) error {
	byID := map[int64]Area{}
	for _, id := range ids {
		if id.Valid {
			byID[id.Int64] = Area{}
		}
	}
	if len(byID) == 0 {
		return nil
	}
	args := make([]any, 0, len(byID))
	for id := range byID {
		args = append(args, id)
	}
	rows, err := tx.query(ctx, `SELECT id, code, name_en, COALESCE(name_local, ''), path FROM areas WHERE id IN (`+inList(tx.engine, len(args), 1)+`)`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var a Area
		if err := rows.Scan(&a.ID, &a.Code, &a.NameEN, &a.NameLocal, &a.Path); err != nil {
			return err
		}
		byID[a.ID] = Area{Code: a.Code, NameEN: a.NameEN, NameLocal: a.NameLocal, Path: a.Path}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i, id := range ids {
		if id.Valid {
			out[i].Area = byID[id.Int64]
		}
	}
	return nil
}

// CountPeople counts the rows PeoplePage would list from the start.
func (db *DB) CountPeople(ctx context.Context, q PeopleQuery) (int, error) {
	if len(q.Scope) == 0 {
		return 0, nil
	}
	if err := q.check(); err != nil {
		return 0, err
	}
	w := q.exportWhere()
	return db.count(ctx, "people", `participations pa JOIN people p ON p.id = pa.person_id LEFT JOIN areas a ON a.id = pa.area_id`, w)
}

// exportWhere is q's scope and filters (but a name or a phone) on live
// people.
func (q PeopleQuery) exportWhere() areaQuery {
	q.NameKey, q.Phone = "", ""
	w := q.filters()
	w.where("p.erased_at IS NULL")
	return w
}

// count is how many rows from holds under w, in one read transaction.
func (db *DB) count(ctx context.Context, what, from string, w areaQuery) (int, error) {
	var n int
	err := db.View(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, "SELECT count(*) FROM "+from+" WHERE "+w.sql(), w.args...).Scan(&n)
	})
	if err != nil {
		return 0, fmt.Errorf("store: count %s: %w", what, err)
	}
	return n, nil
}

// ExportVolunteer is a volunteer as exports write them: the list's row
// with their membership number, first phone (whole) and work area's path.
type ExportVolunteer struct {
	VolunteerRow
	MembershipNo, Phone string
}

// VolunteersPage returns the volunteers q selects after the participation
// id q.After, in id order, at most q.Limit (MaxExportPage) of them, with
// their handles and posts, in one read transaction.
func (db *DB) VolunteersPage(ctx context.Context, q VolunteerQuery) ([]ExportVolunteer, error) {
	if len(q.Scope) == 0 || q.DriveID == 0 {
		return nil, nil
	}
	var out []ExportVolunteer
	err := db.View(ctx, func(tx *Tx) error {
		rows, err := volunteerRows(ctx, tx, q, exportLimit(q.Limit))
		if err != nil {
			return err
		}
		if err := volunteerDetails(ctx, tx, rows); err != nil {
			return err
		}
		people := make([]int64, len(rows))
		for i, r := range rows {
			people[i] = r.PersonID
		}
		numbers, err := peopleNumbers(ctx, tx, people)
		if err != nil {
			return err
		}
		for _, r := range rows {
			n := numbers[r.PersonID]
			out = append(out, ExportVolunteer{VolunteerRow: r, MembershipNo: n.membershipNo, Phone: n.phone})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: volunteers page: %w", err)
	}
	return out, nil
}

// CountVolunteers counts the rows VolunteersPage would list from q.After.
func (db *DB) CountVolunteers(ctx context.Context, q VolunteerQuery) (int, error) {
	if len(q.Scope) == 0 || q.DriveID == 0 {
		return 0, nil
	}
	return db.count(ctx, "volunteers", `volunteers v JOIN participations pa ON pa.id = v.participation_id
		JOIN people p ON p.id = v.person_id JOIN areas a ON a.id = v.area_id`, q.where())
}

// numbers are a person's membership number and first phone.
type numbers struct{ membershipNo, phone string }

// peopleNumbers returns the membership number and first phone of each of
// people, in one query.
func peopleNumbers(ctx context.Context, tx *Tx, people []int64) (map[int64]numbers, error) {
	out := map[int64]numbers{}
	if len(people) == 0 {
		return out, nil
	}
	args := argsOf(people)
	// ? on SQLite: modernc binds $n by walking the statement's names.
	rows, err := tx.query(ctx, `SELECT p.id, COALESCE(p.membership_no, ''), `+phoneOf("p.id")+` FROM people p WHERE p.id IN (`+inList(tx.engine, len(people), 1)+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n numbers
		if err := rows.Scan(&id, &n.membershipNo, &n.phone); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

// GroupsPage returns the groups q selects after the group id q.After, in
// id order, at most q.Limit (MaxExportPage) of them, in one read
// transaction: never their invites.
func (db *DB) GroupsPage(ctx context.Context, q GroupQuery) ([]GroupRow, error) {
	if len(q.Scope) == 0 || q.DriveID == 0 {
		return nil, nil
	}
	var out []GroupRow
	err := db.View(ctx, func(tx *Tx) error {
		var err error
		out, err = groupRows(ctx, tx, q, exportLimit(q.Limit))
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: groups page: %w", err)
	}
	return out, nil
}

// CountGroups counts the rows GroupsPage would list from q.After.
func (db *DB) CountGroups(ctx context.Context, q GroupQuery) (int, error) {
	if len(q.Scope) == 0 || q.DriveID == 0 {
		return 0, nil
	}
	return db.count(ctx, "groups", `chat_groups g JOIN areas a ON a.id = g.area_id JOIN people p ON p.id = g.person_id`, q.where())
}

// HoldingQuery selects the posts held now in a drive at areas in Scope.
type HoldingQuery struct {
	Scope   []Area // the area asked for, as ScopeAreas gives it; nil or empty: no rows
	DriveID int64
	Post    string // a post's code; "": every post
	After   int64  // the appointment id the previous page ended at
	Limit   int    // 0 or more than MaxExportPage: MaxExportPage
}

// Holding is a post held now, with its holder, as exports write it.
type Holding struct {
	Appointment
	Area                      Area // code, names, kind and path only
	Name, MembershipNo, Phone string
}

func (q HoldingQuery) where() areaQuery {
	w := scopeWhere(q.Scope)
	w.where("ap.drive_id = $%d AND ap.vacated_at IS NULL AND p.erased_at IS NULL", q.DriveID)
	if q.Post != "" {
		w.where("ap.post = $%d", q.Post)
	}
	if q.After != 0 {
		w.where("ap.id > $%d", q.After)
	}
	return w
}

const holdingsFrom = `appointments ap JOIN areas a ON a.id = ap.area_id JOIN people p ON p.id = ap.person_id`

// HoldingsPage returns the posts held now that q selects after the
// appointment id q.After, in id order, at most q.Limit of them, in one
// read transaction.
func (db *DB) HoldingsPage(ctx context.Context, q HoldingQuery) ([]Holding, error) {
	if len(q.Scope) == 0 || q.DriveID == 0 {
		return nil, nil
	}
	w := q.where()
	w.args = append(w.args, exportLimit(q.Limit))
	var out []Holding
	err := db.View(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, fmt.Sprintf(`SELECT ap.id, ap.drive_id, ap.post, ap.area_id, ap.person_id, ap.participation_id,
			ap.appointed_at, ap.appointed_by, a.code, a.kind, a.name_en, COALESCE(a.name_local, ''), a.path,
			p.name, COALESCE(p.membership_no, ''), `+phoneOf("ap.person_id")+`
			FROM `+holdingsFrom+` WHERE %s ORDER BY ap.id LIMIT $%d`, w.sql(), len(w.args)), w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var h Holding
			var appointed int64
			if err := rows.Scan(&h.ID, &h.DriveID, &h.Post, &h.AreaID, &h.PersonID, &h.ParticipationID, &appointed, &h.AppointedBy,
				&h.Area.Code, &h.Area.Kind, &h.Area.NameEN, &h.Area.NameLocal, &h.Area.Path, &h.Name, &h.MembershipNo, &h.Phone); err != nil {
				return err
			}
			h.AppointedAt = fromMS(appointed)
			out = append(out, h)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: holdings page: %w", err)
	}
	return out, nil
}

// CountHoldings counts the rows HoldingsPage would list from q.After.
func (db *DB) CountHoldings(ctx context.Context, q HoldingQuery) (int, error) {
	if len(q.Scope) == 0 || q.DriveID == 0 {
		return 0, nil
	}
	return db.count(ctx, "holdings", holdingsFrom, q.where())
}

// argsOf is values as a statement's arguments, for an IN list.
func argsOf[T any](values []T) []any {
	args := make([]any, len(values))
	for i, v := range values {
		args[i] = v
	}
	return args
}
