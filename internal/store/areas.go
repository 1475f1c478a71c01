package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jodo-org/jodo/internal/apperr"
)

// Area is an area as Jodo keeps it and as an area file gives it: geo reads
// and plans area files in this type too, so there is one Area. ID, Path,
// Retired and Children come from the store (Children only from GetArea);
// Line only from an area file.
type Area struct {
	ID          int64
	Code        string
	Kind        string
	Number      string
	NameEN      string
	NameLocal   string
	Reservation string
	Parent      string // parent code, "" for a root
	District    string // for an AC, its district's code
	Path        string // "/IN/JH/JH-PC-08/JH-AC-063/"
	Weights     map[string]float64
	Aliases     []string // sorted
	Retired     bool
	Children    int // live children; a district's are its ACs
	Line        int // the area file line it was read from; 0 otherwise
}

// AreaFilter selects areas for ListAreas. A district named as Parent
// stands for its ACs, as it does in a scope.
type AreaFilter struct {
	Kind           string // "" for every kind
	Parent         string // "" for any parent
	IncludeRetired bool
	Limit          int // 0 for no limit
}

// ListAreas returns the areas f selects, ordered by code. An unknown
// Parent is not_found.
func (db *DB) ListAreas(ctx context.Context, f AreaFilter) ([]Area, error) {
	var out []Area
	err := db.View(ctx, func(tx *Tx) error {
		var q areaQuery
		kind := f.Kind
		if f.Parent != "" {
			parentKind, err := areaKind(ctx, tx, f.Parent)
			if err != nil {
				return err
			}
			if parentKind == "district" && (kind == "" || kind == "ac") {
				q.where("district_code = $%d", f.Parent)
				kind = "ac"
			} else {
				q.where("parent_code = $%d", f.Parent)
			}
		}
		if kind != "" {
			cond := "kind = $%d"
			if f.Parent != "" {
				cond = unindexedKind
			}
			q.where(cond, kind)
		}
		if !f.IncludeRetired {
			q.where("retired_at IS NULL")
		}
		var err error
		out, err = selectAreas(ctx, tx, q.sql(), q.args, f.Limit)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: list areas: %w", err)
	}
	return out, nil
}

// GetArea returns the area with code, including retired ones, with the
// number of its live children: for a district, its ACs.
func (db *DB) GetArea(ctx context.Context, code string) (Area, error) {
	var a Area
	err := db.View(ctx, func(tx *Tx) error {
		var err error
		if a, err = areaByCode(ctx, tx, code); err != nil {
			return err
		}
		count := "SELECT count(*) FROM areas WHERE parent_code = $1 AND retired_at IS NULL"
		if a.Kind == "district" {
			count = "SELECT count(*) FROM areas WHERE district_code = $1 AND kind || '' = 'ac' AND retired_at IS NULL"
		}
		return tx.queryRow(ctx, count, code).Scan(&a.Children)
	})
	if err != nil {
		return Area{}, fmt.Errorf("store: area %s: %w", code, err)
	}
	return a, nil
}

// AreasByCodes returns the areas with the given codes, retired or not,
// ordered by code. Any unknown code is not_found, naming every one.
func (db *DB) AreasByCodes(ctx context.Context, codes []string) ([]Area, error) {
	var out []Area
	err := db.View(ctx, func(tx *Tx) error {
		var err error
		out, err = areasByCodes(ctx, tx, codes, apperr.NotFound)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: areas by code: %w", err)
	}
	return out, nil
}

// ScopeAreas turns a scope's area codes into the areas it covers, ordered
// by code: a district becomes its live ACs, any other code itself. An
// unknown code is invalid.
func (db *DB) ScopeAreas(ctx context.Context, codes []string) ([]Area, error) {
	var out []Area
	err := db.View(ctx, func(tx *Tx) error {
		var err error
		out, err = AreasInScope(ctx, tx, codes)
		return err
	})
	return out, err
}

// AreasInScope is ScopeAreas in tx.
func AreasInScope(ctx context.Context, tx *Tx, codes []string) ([]Area, error) {
	named, err := areasByCodes(ctx, tx, codes, apperr.Invalid)
	if err != nil {
		return nil, fmt.Errorf("store: scope: %w", err)
	}
	var out []Area
	var districts []string
	for _, a := range named {
		if a.Kind == "district" {
			districts = append(districts, a.Code)
		} else {
			out = append(out, a)
		}
	}
	for chunk := range slices.Chunk(districts, maxCodesPerQuery) {
		marks, args := codeList(chunk, 1)
		acs, err := selectAreas(ctx, tx, "district_code IN ("+marks+") AND kind || '' = 'ac' AND retired_at IS NULL", args, 0)
		if err != nil {
			return nil, fmt.Errorf("store: scope: %w", err)
		}
		out = append(out, acs...)
	}
	slices.SortFunc(out, func(a, b Area) int { return strings.Compare(a.Code, b.Code) })
	return slices.CompactFunc(out, func(a, b Area) bool { return a.Code == b.Code }), nil
}

// InScope reports whether target lies in the subtree of an area of scope.
// It does not know that a district stands for its ACs: Visible does.
func InScope(scope []Area, target Area) bool {
	for _, s := range scope {
		if s.Path != "" && strings.HasPrefix(target.Path, s.Path) {
			return true
		}
	}
	return false
}

// Covers reports whether scope holds all of areas (ScopeAreas of one
// code: a district is its ACs), and there is at least one: a district drive's
// root is covered only by a scope holding every one of its ACs.
func Covers(scope, areas []Area) bool {
	return len(areas) > 0 && !slices.ContainsFunc(areas, func(a Area) bool { return !InScope(scope, a) })
}

// Visible reports whether a scope (from ScopeAreas) covers target: target
// lies in the subtree of a scope area, or target is a district every one
// of whose live ACs is in scope.
func (db *DB) Visible(ctx context.Context, scope []Area, target Area) (bool, error) {
	if InScope(scope, target) {
		return true, nil
	}
	if target.Kind != "district" {
		return false, nil
	}
	acs, err := db.ListAreas(ctx, AreaFilter{Kind: "ac", Parent: target.Code})
	if err != nil {
		return false, err
	}
	for _, ac := range acs {
		if !InScope(scope, ac) {
			return false, nil
		}
	}
	return len(acs) > 0, nil
}

// Descendants returns the live areas below code in its own tree (not
// including it), of kind if kind is not "", ordered by code. A district's
// ACs are in the electoral tree, not below it: use ScopeAreas for those.
func (db *DB) Descendants(ctx context.Context, code string, kind string) ([]Area, error) {
	var out []Area
	err := db.View(ctx, func(tx *Tx) error {
		var path string
		err := tx.queryRow(ctx, "SELECT path FROM areas WHERE code = $1", code).Scan(&path)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "no area %q", code)
		}
		if err != nil {
			return err
		}
		lo, hi := pathRange(path)
		var q areaQuery
		q.where("path > $%d", lo) // the area's own path is lo itself
		q.where("path < $%d", hi)
		q.where("retired_at IS NULL")
		if kind != "" {
			q.where(unindexedKind, kind)
		}
		out, err = selectAreas(ctx, tx, q.sql(), q.args, 0)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: descendants of %s: %w", code, err)
	}
	return out, nil
}

// pathRange gives the bounds of every path starting with prefix (which ends
// in '/'): [prefix, prefix with its '/' replaced by '0', the next byte). A
// range, unlike LIKE, is served by the plain btree index on both engines.
// It relies on bytewise comparison: on PostgreSQL the database (or the
// column) must use the C collation.
func pathRange(prefix string) (lo, hi string) {
	return prefix, strings.TrimSuffix(prefix, "/") + "0"
}

// unindexedKind filters by kind without offering areas_kind to the planner,
// for queries that a parent, district or path index narrows far better.
// SQLite keeps no statistics here, and would otherwise prefer areas_kind
// because it also yields the ORDER BY code.
const unindexedKind = "kind || '' = $%d"

// areaQuery builds a WHERE clause with numbered placeholders.
type areaQuery struct {
	conds []string
	args  []any
}

// where adds a condition; its "$%d"s, if any, become the next
// placeholders, one for each of args.
func (q *areaQuery) where(cond string, args ...any) {
	if len(args) > 0 {
		marks := make([]any, len(args))
		for i, a := range args {
			q.args = append(q.args, a)
			marks[i] = len(q.args)
		}
		cond = fmt.Sprintf(cond, marks...)
	}
	q.conds = append(q.conds, cond)
}

func (q *areaQuery) sql() string {
	if len(q.conds) == 0 {
		return "1 = 1"
	}
	return strings.Join(q.conds, " AND ")
}

func areaKind(ctx context.Context, tx *Tx, code string) (string, error) {
	var kind string
	err := tx.queryRow(ctx, "SELECT kind FROM areas WHERE code = $1", code).Scan(&kind)
	if errors.Is(err, sql.ErrNoRows) {
		return "", apperr.New(apperr.NotFound, "no area %q", code)
	}
	return kind, err
}

func areaByCode(ctx context.Context, tx *Tx, code string) (Area, error) {
	areas, err := selectAreas(ctx, tx, "code = $1", []any{code}, 0)
	if err != nil {
		return Area{}, err
	}
	if len(areas) == 0 {
		return Area{}, apperr.New(apperr.NotFound, "no area %q", code)
	}
	return areas[0], nil
}

// AreaByID returns an area by its id, in tx.
func AreaByID(ctx context.Context, tx *Tx, id int64) (Area, error) {
	areas, err := selectAreas(ctx, tx, "id = $1", []any{id}, 0)
	if err != nil {
		return Area{}, err
	}
	if len(areas) == 0 {
		return Area{}, apperr.New(apperr.NotFound, "no area %d", id)
	}
	return areas[0], nil
}

// maxCodesPerQuery keeps IN lists well under both engines' parameter limits.
const maxCodesPerQuery = 1000

// areasByCodes loads the areas with codes; unknown codes are an error with
// the given apperr code, naming them all.
func areasByCodes(ctx context.Context, tx *Tx, codes []string, unknownCode string) ([]Area, error) {
	var out []Area
	for chunk := range slices.Chunk(uniqueCodes(codes), maxCodesPerQuery) {
		marks, args := codeList(chunk, 1)
		areas, err := selectAreas(ctx, tx, "code IN ("+marks+")", args, 0)
		if err != nil {
			return nil, err
		}
		out = append(out, areas...)
	}
	found := make(map[string]bool, len(out))
	for _, a := range out {
		found[a.Code] = true
	}
	var missing []string
	for _, c := range uniqueCodes(codes) {
		if !found[c] {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, apperr.New(unknownCode, "unknown area code(s): %s", strings.Join(missing, ", "))
	}
	return out, nil
}

func uniqueCodes(codes []string) []string {
	return slices.Compact(slices.Sorted(slices.Values(codes)))
}

// codeList gives "$first,$first+1,…" and the values as arguments.
func codeList[T any](values []T, first int) (string, []any) {
	marks := make([]string, len(values))
	args := make([]any, len(values))
	for i, v := range values {
		marks[i], args[i] = fmt.Sprintf("$%d", first+i), v
	}
	return strings.Join(marks, ","), args
}

const areaColumns = `id, code, kind, number, name_en, name_local, reservation,
	COALESCE(parent_code, '') AS parent_code, COALESCE(district_code, '') AS district_code, path, weights, retired_at`

// selectAreas runs one query for the areas matching where (ordered by code,
// at most limit of them if limit > 0) and their aliases.
func selectAreas(ctx context.Context, tx *Tx, where string, args []any, limit int) ([]Area, error) {
	inner := "SELECT " + areaColumns + " FROM areas WHERE " + where + " ORDER BY code"
	if limit > 0 {
		inner += fmt.Sprintf(" LIMIT %d", limit)
	}
	rows, err := tx.query(ctx, `SELECT a.id, a.code, a.kind, a.number, a.name_en, a.name_local, a.reservation,
			a.parent_code, a.district_code, a.path, a.weights, a.retired_at, al.alias
		FROM (`+inner+`) a LEFT JOIN area_aliases al ON al.area_id = a.id
		ORDER BY a.code, al.alias`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Area
	for rows.Next() {
		var a Area
		var weights string
		var retired sql.NullInt64
		var alias sql.NullString
		if err := rows.Scan(&a.ID, &a.Code, &a.Kind, &a.Number, &a.NameEN, &a.NameLocal, &a.Reservation,
			&a.Parent, &a.District, &a.Path, &weights, &retired, &alias); err != nil {
			return nil, err
		}
		if n := len(out); n > 0 && out[n-1].ID == a.ID {
			out[n-1].Aliases = append(out[n-1].Aliases, alias.String)
			continue
		}
		if err := json.Unmarshal([]byte(weights), &a.Weights); err != nil {
			return nil, fmt.Errorf("area %s weights: %w", a.Code, err)
		}
		if len(a.Weights) == 0 {
			a.Weights = nil
		}
		if alias.Valid {
			a.Aliases = []string{alias.String}
		}
		a.Retired = retired.Valid
		out = append(out, a)
	}
	return out, rows.Err()
}

// RootAreas are the areas with no parent: together they are the whole
// installation (the command line's scope).
func (db *DB) RootAreas(ctx context.Context) ([]Area, error) {
	var out []Area
	err := db.View(ctx, func(tx *Tx) error {
		var err error
		out, err = selectAreas(ctx, tx, "parent_code IS NULL", nil, 0)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: root areas: %w", err)
	}
	return out, nil
}

// AreaByCode returns an area by its code, in tx.
func AreaByCode(ctx context.Context, tx *Tx, code string) (Area, error) {
	return areaByCode(ctx, tx, code)
}
