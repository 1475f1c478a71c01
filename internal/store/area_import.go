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
	"github.com/jodo-org/jodo/internal/geo"
)

// ImportAreas applies an area file in one transaction: it plans the import
// against every stored area (geo.PlanImport decides what is inserted,
// updated, retired and brought back) and writes the plan, which it returns.
// Importing the same file again plans nothing and writes nothing.
func (db *DB) ImportAreas(ctx context.Context, areas []geo.Area) (geo.Plan, error) {
	defer db.ancestry.forget() // areas may have moved
	var plan geo.Plan
	err := db.Update(ctx, func(tx *Tx) error {
		stored, err := selectAreas(ctx, tx, "1 = 1", nil, 0)
		if err != nil {
			return err
		}
		existing := make([]geo.Existing, len(stored))
		for i, a := range stored {
			existing[i] = a.existing()
		}
		if plan, err = geo.PlanImport(existing, areas); err != nil {
			if fe, ok := errors.AsType[*geo.FileError](err); ok {
				return invalidAreaFile{fe}
			}
			return err
		}
		aliases := make(map[string][]string, len(stored))
		for _, a := range stored {
			aliases[a.Code] = a.Aliases
		}
		return applyAreaPlan(ctx, tx, plan, aliases)
	})
	if err != nil {
		return geo.Plan{}, fmt.Errorf("store: import areas: %w", err)
	}
	return plan, nil
}

// invalidAreaFile gives an area file's problems the invalid code while
// keeping the *geo.FileError, with its lines, reachable by errors.As.
type invalidAreaFile struct{ file *geo.FileError }

func (e invalidAreaFile) Error() string { return e.file.Error() }

func (e invalidAreaFile) Unwrap() []error {
	return []error{apperr.New(apperr.Invalid, "%s", e.file.Error()), e.file}
}

func (a Area) existing() geo.Existing {
	return geo.Existing{
		Area: geo.Area{
			Code: a.Code, Kind: a.Kind, Number: a.Number, NameEN: a.NameEN, NameLocal: a.NameLocal,
			Reservation: a.Reservation, Parent: a.Parent, District: a.District,
			Aliases: a.Aliases, Weights: a.Weights,
		},
		Path:    a.Path,
		Retired: a.Retired,
	}
}

// upsertBatch is how many areas one INSERT writes: a state's booths take a
// few hundred statements, not tens of thousands (on SQLite each statement
// journals the pages it touches again), and 1+10×200 parameters stay far
// under both engines' limits.
const upsertBatch = 200

// applyAreaPlan writes a plan; aliases are rewritten only where they changed
// from the stored ones (stored maps code to its sorted aliases).
func applyAreaPlan(ctx context.Context, tx *Tx, plan geo.Plan, stored map[string][]string) error {
	now := ms(tx.Now)
	stmts := map[int]*sql.Stmt{} // by batch size: all batches but the last share one
	defer func() {
		for _, st := range stmts {
			st.Close()
		}
	}()
	for batch := range slices.Chunk(plan.Upserts, upsertBatch) {
		st, ok := stmts[len(batch)]
		if !ok {
			var err error
			if st, err = tx.prepare(ctx, upsertAreasSQL(len(batch))); err != nil {
				return err
			}
			stmts[len(batch)] = st
		}
		ids, err := upsertAreas(ctx, st, batch, now)
		if err != nil {
			return err
		}
		for _, p := range batch {
			if slices.Equal(slices.Sorted(slices.Values(p.Aliases)), stored[p.Code]) {
				continue
			}
			if err := replaceAliases(ctx, tx, ids[p.Code], p.Aliases); err != nil {
				return fmt.Errorf("area %s aliases: %w", p.Code, err)
			}
		}
	}
	if err := setRetiredAt(ctx, tx, plan.Retire, now); err != nil {
		return fmt.Errorf("retire: %w", err)
	}
	if err := setRetiredAt(ctx, tx, plan.Unretire, nil); err != nil {
		return fmt.Errorf("bring back: %w", err)
	}
	return nil
}

// upsertAreasSQL inserts or updates n areas by code; $1 is the time.
func upsertAreasSQL(n int) string {
	values := make([]string, n)
	for i := range values {
		k := 1 + 10*i
		values[i] = fmt.Sprintf("($%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $1, $1)",
			k+1, k+2, k+3, k+4, k+5, k+6, k+7, k+8, k+9, k+10)
	}
	return `INSERT INTO areas (code, kind, number, name_en, name_local, reservation,
			parent_code, district_code, path, weights, created_at, updated_at)
		VALUES ` + strings.Join(values, ", ") + `
		ON CONFLICT (code) DO UPDATE SET kind = excluded.kind, number = excluded.number, name_en = excluded.name_en,
			name_local = excluded.name_local, reservation = excluded.reservation, parent_code = excluded.parent_code,
			district_code = excluded.district_code, path = excluded.path, weights = excluded.weights,
			updated_at = excluded.updated_at
		RETURNING code, id`
}

// upsertAreas runs st, an upsertAreasSQL(len(batch)), and returns the ids by code.
func upsertAreas(ctx context.Context, st *sql.Stmt, batch []geo.Planned, now int64) (map[string]int64, error) {
	args := make([]any, 0, 1+10*len(batch))
	args = append(args, now)
	for _, p := range batch {
		weights, err := areaWeightsJSON(p.Weights)
		if err != nil {
			return nil, fmt.Errorf("area %s weights: %w", p.Code, err)
		}
		args = append(args, p.Code, p.Kind, p.Number, p.NameEN, p.NameLocal, p.Reservation,
			nullCode(p.Parent), nullCode(p.District), p.Path, weights)
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return nil, fmt.Errorf("upsert areas %s…: %w", batch[0].Code, err)
	}
	defer rows.Close()
	ids := make(map[string]int64, len(batch))
	for rows.Next() {
		var code string
		var id int64
		if err := rows.Scan(&code, &id); err != nil {
			return nil, err
		}
		ids[code] = id
	}
	return ids, rows.Err()
}

func replaceAliases(ctx context.Context, tx *Tx, areaID int64, aliases []string) error {
	if _, err := tx.exec(ctx, "DELETE FROM area_aliases WHERE area_id = $1", areaID); err != nil {
		return err
	}
	for _, alias := range aliases {
		if _, err := tx.exec(ctx, "INSERT INTO area_aliases (area_id, alias) VALUES ($1, $2) ON CONFLICT DO NOTHING", areaID, alias); err != nil {
			return err
		}
	}
	return nil
}

// setRetiredAt sets retired_at (nil brings the areas back) on codes.
func setRetiredAt(ctx context.Context, tx *Tx, codes []string, retiredAt any) error {
	for chunk := range slices.Chunk(codes, maxCodesPerQuery) {
		marks, args := codeList(chunk, 3)
		args = append([]any{retiredAt, ms(tx.Now)}, args...)
		if _, err := tx.exec(ctx, "UPDATE areas SET retired_at = $1, updated_at = $2 WHERE code IN ("+marks+")", args...); err != nil {
			return err
		}
	}
	return nil
}

// areaWeightsJSON encodes weights as the JSON object stored in areas.weights
// (keys sorted, so equal maps are stored as equal text).
func areaWeightsJSON(w map[string]float64) (string, error) {
	if len(w) == 0 {
		return "{}", nil
	}
	b, err := json.Marshal(w)
	return string(b), err
}

func nullCode(s string) any {
	if s == "" {
		return nil
	}
	return s
}
