package store

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jodo-org/jodo/internal/apperr"
)

// PeopleQuery selects participations (a person in a drive) for the
// console and the API. Every field but Scope narrows; Scope is required.
type PeopleQuery struct {
	// Scope is the asker's scope for reading people (ScopeAreas: a
	// district is already its ACs). Nil or empty: no rows.
	Scope []Area
	// RootOf lists the drives whose root area Scope covers: their
	// participations with no area yet (missed-call leads) are visible.
	RootOf   []int64
	DriveID  int64
	AreaPath string // an area's path: that area and everything under it
	Stage    Stage  // the furthest stage reached
	Channel  string
	NameKey  string // names.SearchPrefix of what was typed: a prefix of a name's key
	Phone    string // E.164: the person's phone, or their WhatsApp id
	After    PeopleCursor
	Limit    int // 0: DefaultPeopleLimit; at most MaxPeopleLimit
}

// Page sizes of SearchPeople.
const (
	DefaultPeopleLimit = 50
	MaxPeopleLimit     = 200
)

// PersonRow is one participation as a search lists it.
type PersonRow struct {
	PersonID, ParticipationID, DriveID int64
	Name, MembershipNo                 string
	AreaCode, AreaName, AreaNameLocal  string // "": no area yet; AreaName in English, AreaNameLocal in Hindi ("" if none)
	Stage                              Stage
	Channel                            string
	FirstSeen                          time.Time
	// Phone is the person's first phone (E.164), else "+" and their first
	// WhatsApp id, else "". It is the whole number: every edge masks it
	// (phone.Mask) before anyone sees it.
	Phone string
}

// PeopleCursor is where a page of SearchPeople ends. The zero cursor is
// the first page as an After, the last page as a result.
type PeopleCursor struct {
	byName bool
	key    string // by name: the key the last row matched
	person int64  // by name: its person
	id     int64  // its participation
}

// IsZero reports whether c is the zero cursor.
func (c PeopleCursor) IsZero() bool { return c.id == 0 }

// String is the cursor as opaque text for a URL; "" for the zero cursor.
func (c PeopleCursor) String() string {
	if c.IsZero() {
		return ""
	}
	text := "i" + strconv.FormatInt(c.id, 10)
	if c.byName {
		text = "n" + strconv.FormatInt(c.id, 10) + ":" + strconv.FormatInt(c.person, 10) + ":" + c.key
	}
	return base64.RawURLEncoding.EncodeToString([]byte(text))
}

// ParsePeopleCursor reads a cursor String gave; "" is the zero cursor.
// Anything else is invalid.
func ParsePeopleCursor(s string) (PeopleCursor, error) {
	if s == "" {
		return PeopleCursor{}, nil
	}
	bad := apperr.New(apperr.Invalid, "this page link is not valid")
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) < 2 || !utf8.Valid(b) {
		return PeopleCursor{}, bad
	}
	c := PeopleCursor{byName: b[0] == 'n'}
	fields := strings.SplitN(string(b[1:]), ":", 3)
	switch {
	case b[0] == 'i' && len(fields) == 1:
		c.id, err = positive(fields[0])
	case c.byName && len(fields) == 3:
		c.key = fields[2]
		if c.id, err = positive(fields[0]); err == nil {
			c.person, err = positive(fields[1])
		}
	default:
		return PeopleCursor{}, bad
	}
	if err != nil {
		return PeopleCursor{}, bad
	}
	return c, nil
}

func positive(s string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err == nil && n <= 0 {
		err = strconv.ErrRange
	}
	return n, err
}

// stageOf is a participation's furthest stage, in SQL.
const stageOf = `CASE WHEN pa.active_at IS NOT NULL THEN 'active' WHEN pa.volunteer_at IS NOT NULL THEN 'volunteer'
	WHEN pa.verified_at IS NOT NULL THEN 'verified' WHEN pa.registered_at IS NOT NULL THEN 'registered' ELSE 'lead' END`

const searchColumns = `pa.id, pa.person_id, pa.drive_id, p.name, COALESCE(p.membership_no, ''),
	COALESCE(a.code, ''), COALESCE(a.name_en, ''), COALESCE(a.name_local, ''), ` + stageOf + `, pa.channel, pa.first_seen_at,
	COALESCE((SELECT c.value FROM contact_points c WHERE c.person_id = pa.person_id AND c.kind = 'phone' ORDER BY c.id LIMIT 1),
		(SELECT '+' || c.value FROM contact_points c WHERE c.person_id = pa.person_id AND c.kind = 'wa_id' ORDER BY c.id LIMIT 1), '')`

// SearchPeople returns a page of the live people's participations q
// selects, and the cursor of the next page (zero on the last). Without a
// name they come newest first; with one, in the order of the name key
// that matched, then of person (each person once per drive, by their
// first matching key).
func (db *DB) SearchPeople(ctx context.Context, q PeopleQuery) ([]PersonRow, PeopleCursor, error) {
	return db.searchPeople(ctx, q, planChosen)
}

// searchPeople is SearchPeople by plan, or by the plan q's scope
// suggests (planChosen).
func (db *DB) searchPeople(ctx context.Context, q PeopleQuery, plan searchPlan) ([]PersonRow, PeopleCursor, error) {
	if len(q.Scope) == 0 {
		return nil, PeopleCursor{}, nil
	}
	if err := q.check(); err != nil {
		return nil, PeopleCursor{}, err
	}
	limit := pageLimit(q.Limit)
	var out []PersonRow
	var at []PeopleCursor // where each row of out is
	err := db.View(ctx, func(tx *Tx) error {
		if tx.Engine() == Postgres && q.NameKey != "" {
			// Workers would each start a walk that the first 50 rows end:
			// on PostgreSQL their start alone costs more than the walk.
			if _, err := tx.exec(ctx, "SET LOCAL max_parallel_workers_per_gather = 0"); err != nil {
				return err
			}
		}
		if plan == planChosen {
			var err error
			if plan, err = q.plan(ctx, tx); err != nil {
				return err
			}
		}
		// A row read but not shown (a person's second matching key) is
		// rare; the page is filled up from after it.
		for {
			rows, err := searchRows(ctx, tx, q, limit+1, plan)
			if err != nil {
				return err
			}
			for _, r := range rows {
				if r.shown {
					out, at = append(out, r.PersonRow), append(at, r.at)
				}
			}
			if len(rows) < limit+1 || len(out) > limit {
				return nil
			}
			q.After = rows[len(rows)-1].at
		}
	})
	if err != nil {
		return nil, PeopleCursor{}, fmt.Errorf("store: search people: %w", err)
	}
	if len(out) <= limit {
		return out, PeopleCursor{}, nil
	}
	return out[:limit], at[limit-1], nil
}

// searchRow is a row as read: where it is in the search's order, and
// whether it is shown.
type searchRow struct {
	PersonRow
	at    PeopleCursor
	shown bool
}

func searchRows(ctx context.Context, tx *Tx, q PeopleQuery, limit int, plan searchPlan) ([]searchRow, error) {
	text, args := q.sql(limit, plan)
	rows, err := tx.query(ctx, text, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []searchRow
	for rows.Next() {
		var r searchRow
		var firstSeen int64
		dest := []any{&r.ParticipationID, &r.PersonID, &r.DriveID, &r.Name, &r.MembershipNo,
			&r.AreaCode, &r.AreaName, &r.AreaNameLocal, &r.Stage, &r.Channel, &firstSeen, &r.Phone}
		r.shown = true
		if q.NameKey != "" {
			dest = append(dest, &r.at.key, &r.shown)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		r.FirstSeen = fromMS(firstSeen)
		r.at.byName, r.at.id = q.NameKey != "", r.ParticipationID
		if r.at.byName {
			r.at.person = r.PersonID
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (q PeopleQuery) check() error {
	if q.Stage != "" {
		if _, ok := stageColumns[q.Stage]; !ok {
			return apperr.New(apperr.Invalid, "no stage %q", q.Stage)
		}
	}
	if !q.After.IsZero() && q.After.byName != (q.NameKey != "") {
		return apperr.New(apperr.Invalid, "this page link is of another search")
	}
	return nil
}

// searchPlan is how a search by name finds its page.
type searchPlan int

const (
	// planChosen is byScope for a search by name with a filter on the
	// participations in a narrow scope, byKeys otherwise
	// (PeopleQuery.plan).
	planChosen searchPlan = iota
	// byKeys walks the keys with the prefix in order and keeps those
	// whose participation is in scope and passes the filters: its cost
	// is the keys it reads before the page is full.
	byKeys
	// byScope lists the scope's participations that pass the filters and
	// looks up each person's keys with the prefix, then sorts: its cost
	// is the scope's size, whatever the prefix and the filters.
	byScope
)

// sql builds the search: the scope's subtrees, or no area in a drive of
// RootOf, then each filter, then the page. By name, the page is chosen
// first from the keys, participations and areas alone (plan says in
// which order), and only its rows are read in full and checked.
func (q PeopleQuery) sql(limit int, plan searchPlan) (string, []any) {
	w := q.filters()
	// +pa.area_id keeps participations_area out of the plans that walk
	// the participations by id or the keys: SQLite would otherwise sort a
	// whole AC for its newest 50, and PostgreSQL's generic plan hash an
	// AC against every key with a one-letter prefix.
	const rest = " JOIN people p ON p.id = pa.person_id LEFT JOIN areas a ON a.id = +pa.area_id"
	if q.NameKey == "" {
		w.where("p.erased_at IS NULL")
		if !q.After.IsZero() {
			w.where("pa.id < $%d", q.After.id)
		}
		w.args = append(w.args, limit)
		return fmt.Sprintf("SELECT %s FROM participations pa%s WHERE %s ORDER BY pa.id DESC LIMIT $%d",
			searchColumns, rest, w.sql(), len(w.args)), w.args
	}
	pageBy := q.pageByKeys
	if plan == byScope {
		pageBy = q.pageByScope
	}
	with, page := pageBy(&w, limit)
	w.args = append(w.args, q.NameKey)
	// Shown unless erased (erasure deletes the keys: a safeguard) or
	// found again by a later key ("sunil sharma", then "sharma").
	shown := fmt.Sprintf(`p.erased_at IS NULL AND NOT EXISTS (SELECT 1 FROM person_name_keys k2
		WHERE k2.person_id = s.person_id AND k2.key >= $%d AND k2.key < s.key)`, len(w.args))
	return fmt.Sprintf(`%sSELECT %s, s.key, CASE WHEN %s THEN 1 ELSE 0 END FROM (%s) s
		JOIN participations pa ON pa.id = s.id%s ORDER BY s.key, s.person_id, s.id`, with, searchColumns, shown, page, rest), w.args
}

// pageByKeys is the byKeys page: w's filters on the participations of
// the keys walked in order.
func (q PeopleQuery) pageByKeys(w *areaQuery, limit int) (with, page string) {
	q.nameWhere(w, "pa.id")
	w.args = append(w.args, limit)
	return "", fmt.Sprintf(`SELECT k.key, k.person_id, pa.id FROM person_name_keys k
		JOIN participations pa ON pa.person_id = k.person_id LEFT JOIN areas a ON a.id = +pa.area_id
		WHERE %s ORDER BY k.key, k.person_id, pa.id LIMIT $%d`, w.sql(), len(w.args))
}

// pageByScope is the byScope page: the participations of the scope's
// areas that pass w's filters (from participations_area alone unless
// Phone is set), kept apart (MATERIALIZED) so that neither engine walks
// the keys first, then their keys (person_name_keys_person). The CROSS JOINs fix SQLite's
// order of the tables; PostgreSQL reads them as plain joins. Area-less
// participations are not listed: only for a scope without RootOf.
func (q PeopleQuery) pageByScope(w *areaQuery, limit int) (with, page string) {
	with = fmt.Sprintf(`WITH sp AS MATERIALIZED (SELECT pa.id, pa.person_id FROM areas a
		CROSS JOIN participations pa WHERE pa.area_id = a.id AND %s) `, w.sql())
	w.conds = nil
	q.nameWhere(w, "sp.id")
	w.args = append(w.args, limit)
	return with, fmt.Sprintf(`SELECT k.key, k.person_id, sp.id FROM sp CROSS JOIN person_name_keys k
		WHERE k.person_id = sp.person_id AND %s ORDER BY k.key, k.person_id, sp.id LIMIT $%d`, w.sql(), len(w.args))
}

// narrowScope is the most participations (in the scope's areas, the
// drive and AreaPath) for which byScope is chosen: an AC holds about
// 12,000 of a million, a district about 90,000.
const narrowScope = 20_000

// plan chooses how a search by name finds its page. byKeys reads about
// limit × (keys with the prefix) / (those in scope that pass the
// filters) keys, each with its participation's row when a filter needs
// it (Stage, Channel); byScope reads the scope's entries in
// participations_area, which carry those filters, and the keys of the
// participations that pass them. With names spread evenly, byKeys is the
// faster without such a filter (an AC: 4,400 keys against 12,000
// lookups), byScope with one in a narrow scope (the stage active, 3 %:
// every key with the prefix in the state, each with its row, against
// 12,000 index entries and 360 lookups). Measured in docs/performance.md.
// A scope with area-less leads is never narrow.
func (q PeopleQuery) plan(ctx context.Context, tx *Tx) (searchPlan, error) {
	if q.NameKey == "" || len(q.RootOf) > 0 || (q.Stage == "" && q.Channel == "") {
		return byKeys, nil
	}
	areas := PeopleQuery{Scope: q.Scope, DriveID: q.DriveID, AreaPath: q.AreaPath}
	w := areas.filters()
	w.args = append(w.args, narrowScope+1)
	var n int
	err := tx.queryRow(ctx, fmt.Sprintf(`SELECT count(*) FROM (SELECT 1 FROM areas a CROSS JOIN participations pa
		WHERE pa.area_id = a.id AND %s LIMIT $%d) n`, w.sql(), len(w.args)), w.args...).Scan(&n)
	if err != nil {
		return byKeys, err
	}
	if n > narrowScope {
		return byKeys, nil
	}
	return byScope, nil
}

// nameWhere adds the prefix and the cursor on keys k, id being the
// participation's id.
func (q PeopleQuery) nameWhere(w *areaQuery, id string) {
	w.where("k.key >= $%d AND k.key < $%d", q.NameKey, q.NameKey+string(utf8.MaxRune))
	if !q.After.IsZero() {
		w.where("(k.key > $%d OR (k.key = $%d AND (k.person_id > $%d OR (k.person_id = $%d AND "+id+" > $%d))))",
			q.After.key, q.After.key, q.After.person, q.After.person, q.After.id)
	}
}

// filters is the scope and every filter but the name, on participations
// pa and their areas a.
func (q PeopleQuery) filters() areaQuery {
	var w areaQuery
	var scope []string
	for _, a := range q.Scope {
		if a.Path == "" {
			continue // not an area from the store: it covers nothing
		}
		lo, hi := pathRange(a.Path)
		w.args = append(w.args, lo, hi)
		scope = append(scope, fmt.Sprintf("(a.path >= $%d AND a.path < $%d)", len(w.args)-1, len(w.args)))
	}
	if len(q.RootOf) > 0 {
		marks := make([]string, len(q.RootOf))
		for i, id := range q.RootOf {
			w.args = append(w.args, id)
			marks[i] = fmt.Sprintf("$%d", len(w.args))
		}
		scope = append(scope, "(pa.area_id IS NULL AND pa.drive_id IN ("+strings.Join(marks, ", ")+"))")
	}
	if len(scope) == 0 {
		scope = []string{"1 = 0"}
	}
	w.where("(" + strings.Join(scope, " OR ") + ")")
	if q.DriveID != 0 {
		w.where("pa.drive_id = $%d", q.DriveID)
	}
	if q.AreaPath != "" {
		lo, hi := pathRange(q.AreaPath)
		w.where("a.path >= $%d AND a.path < $%d", lo, hi)
	}
	if q.Stage != "" {
		w.where(stageOf+" = $%d", string(q.Stage))
	}
	if q.Channel != "" {
		w.where("pa.channel = $%d", q.Channel)
	}
	if q.Phone != "" {
		w.where(`pa.person_id IN (SELECT person_id FROM contact_points WHERE kind = 'phone' AND value = $%d
			UNION SELECT person_id FROM contact_points WHERE kind = 'wa_id' AND value = $%d)`, q.Phone, strings.TrimPrefix(q.Phone, "+"))
	}
	return w
}
