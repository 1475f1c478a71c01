package store

import (
	"context"
	"fmt"
	"time"
)

// GroupQuery selects a drive's groups for the console: those whose area
// lies in Scope. Scope is required.
type GroupQuery struct {
	Scope    []Area // the asker's scope narrowed to the area asked for; nil or empty: no rows
	DriveID  int64
	State    string // one of the Group* states; "": any
	Kind     string // a groups kind; "": any
	Language string // a handles.Languages code; "": any
	After    int64  // the group id the previous page ended at; 0: the first page
	Limit    int    // 0: DefaultPeopleLimit; at most MaxPeopleLimit
}

// GroupRow is a group as staff lists show it: never its invite, neither
// hashed nor sealed.
type GroupRow struct {
	ID, PersonID         int64
	Owner                string // the owner's name
	Area                 Area   // code and names only
	Kind, Name, Language string
	Size, State          string
	ConfirmedAt, StateAt time.Time
	StateReason          string
}

// ListGroups returns a page of the groups q selects, by id, and the id to
// pass as After for the next page (0 on the last).
func (db *DB) ListGroups(ctx context.Context, q GroupQuery) ([]GroupRow, int64, error) {
	if len(q.Scope) == 0 || q.DriveID == 0 {
		return nil, 0, nil
	}
	limit := pageLimit(q.Limit)
	var out []GroupRow
	err := db.View(ctx, func(tx *Tx) error {
		var err error
		out, err = groupRows(ctx, tx, q, limit+1)
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("store: list groups: %w", err)
	}
	if len(out) <= limit {
		return out, 0, nil
	}
	return out[:limit], out[limit-1].ID, nil
}

// where is the scope, the drive and the filters of q, with its page's
// start, on groups g and their areas a.
func (q GroupQuery) where() areaQuery {
	w := scopeWhere(q.Scope)
	w.where("g.drive_id = $%d", q.DriveID)
	for _, f := range [][2]string{{"g.state", q.State}, {"g.kind", q.Kind}, {"g.language", q.Language}} {
		if f[1] != "" {
			w.where(f[0]+" = $%d", f[1])
		}
	}
	if q.After != 0 {
		w.where("g.id > $%d", q.After)
	}
	return w
}

func groupRows(ctx context.Context, tx *Tx, q GroupQuery, limit int) ([]GroupRow, error) {
	w := q.where()
	w.args = append(w.args, limit)
	rows, err := tx.query(ctx, fmt.Sprintf(`SELECT g.id, g.person_id, p.name, a.code, a.name_en, COALESCE(a.name_local, ''),
		g.kind, g.name, g.language, g.size, g.state, g.confirmed_at, g.state_at, g.state_reason
		FROM chat_groups g JOIN areas a ON a.id = g.area_id JOIN people p ON p.id = g.person_id
		WHERE %s ORDER BY g.id LIMIT $%d`, w.sql(), len(w.args)), w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []GroupRow
	for rows.Next() {
		var r GroupRow
		var confirmed, stateAt int64
		if err := rows.Scan(&r.ID, &r.PersonID, &r.Owner, &r.Area.Code, &r.Area.NameEN, &r.Area.NameLocal,
			&r.Kind, &r.Name, &r.Language, &r.Size, &r.State, &confirmed, &stateAt, &r.StateReason); err != nil {
			return nil, err
		}
		r.ConfirmedAt, r.StateAt = fromMS(confirmed), fromMS(stateAt)
		out = append(out, r)
	}
	return out, rows.Err()
}

// LiveGroupCounts returns how many live groups each of people runs in a
// drive (absent: none).
func (db *DB) LiveGroupCounts(ctx context.Context, driveID int64, people []int64) (map[int64]int, error) {
	out := map[int64]int{}
	if len(people) == 0 {
		return out, nil
	}
	args := argsOf(people)
	err := db.View(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT person_id, COUNT(*) FROM chat_groups WHERE drive_id = `+inList(tx.engine, 1, 1)+` AND state = `+inList(tx.engine, 1, 2)+`
			AND person_id IN (`+inList(tx.engine, len(people), 3)+`) GROUP BY person_id`, append([]any{driveID, GroupLive}, args...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var person int64
			var n int
			if err := rows.Scan(&person, &n); err != nil {
				return err
			}
			out[person] = n
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: live group counts: %w", err)
	}
	return out, nil
}

// scopeWhere is a WHERE over areas a lying in one of scope's areas (by
// path prefix); an area of scope not from the store covers nothing.
func scopeWhere(scope []Area) areaQuery {
	return PeopleQuery{Scope: scope}.filters()
}

// pageLimit is a list's page size asked for as n: DefaultPeopleLimit for
// 0 or less, at most MaxPeopleLimit.
func pageLimit(n int) int {
	if n <= 0 {
		return DefaultPeopleLimit
	}
	return min(n, MaxPeopleLimit)
}
