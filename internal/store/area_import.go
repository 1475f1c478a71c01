package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// AreaPlan is what an area import writes: the areas to insert or update
// (each with its Path; parents first), and the codes of stored areas to
// retire and to bring back.
type AreaPlan struct {
	Upserts  []Area
	Retire   []string
	Unretire []string
}

// Empty reports whether applying the plan would change nothing.
func (p AreaPlan) Empty() bool {
	return len(p.Upserts) == 0 && len(p.Retire) == 0 && len(p.Unretire) == 0
}

// PlanAreas decides, from every stored area (retired ones too), what an
// import writes; geo's planner for an area file is one.
type PlanAreas func(stored []Area) (AreaPlan, error)

// ImportAreas applies an area file in one transaction: plan decides against
// every stored area what is inserted, updated, retired and brought back,
// and ImportAreas writes that plan, which it returns. Importing the same
// file again plans nothing and writes nothing.
func (db *DB) ImportAreas(ctx context.Context, plan PlanAreas) (AreaPlan, error) {
	defer db.ancestry.forget() // areas may have moved
	var p AreaPlan
	err := db.Update(ctx, func(tx *Tx) error {
		stored, err := selectAreas(ctx, tx, "1 = 1", nil, 0)
		if err != nil {
			return err
		}
		if p, err = plan(stored); err != nil {
			return err
		}
		aliases := make(map[string][]string, len(stored))
		for _, a := range stored {
			aliases[a.Code] = a.Aliases
		}
		return applyAreaPlan(ctx, tx, p, aliases)
	})
	if err != nil {
		return AreaPlan{}, fmt.Errorf("store: import areas: %w", err)
	}
	return p, nil
}

// upsertBatch is how many areas one INSERT writes: a state's booths take a
// few hundred statements, not tens of thousands (on SQLite each statement
// journals the pages it touches again), and 1+10×200 parameters stay far
// under both engines' limits.
const upsertBatch = 200

// applyAreaPlan writes a plan; aliases are rewritten only where they changed
// from the stored ones (stored maps code to its sorted aliases).
func applyAreaPlan(ctx context.Context, tx *Tx, plan AreaPlan, stored map[string][]string) error {
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
func upsertAreas(ctx context.Context, st *sql.Stmt, batch []Area, now int64) (map[string]int64, error) {
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
