package imports

import (
	"context"
	"fmt"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/membership"
	"github.com/jodo-org/jodo/internal/store"
)

// lookup finds what the database holds for rows' phones: who holds them
// in the drive or outside it, and which unknown ones are suppressed; with
// lock (loading, not a dry run) the people found stay locked.
func (im *Importer) lookup(ctx context.Context, tx *store.Tx, driveID int64, rows []store.StagedRow, lock bool) ([]known, error) {
	phones := make([]string, len(rows))
	for i, r := range rows {
		phones[i] = r.Phone
	}
	matches, err := store.MatchPhones(ctx, tx, driveID, phones, lock)
	if err != nil {
		return nil, err
	}
	out := make([]known, len(rows))
	var hashes []string
	hashOf := make(map[int]string)
	for i, r := range rows {
		out[i].match, out[i].matched = matches[r.Phone]
		if !out[i].matched {
			h := store.SuppressionHash(im.secretKey, r.Phone)
			hashes = append(hashes, h)
			hashOf[i] = h
		}
	}
	suppressed, err := store.Suppressed(ctx, tx, hashes)
	if err != nil {
		return nil, err
	}
	for i, h := range hashOf {
		_, out[i].suppressed = suppressed[h]
	}
	return out, nil
}

// numbers draws n membership numbers that nobody holds and that differ
// from each other.
func numbers(ctx context.Context, tx *store.Tx, n int) ([]string, error) {
	out := make([]string, 0, n)
	seen := make(map[string]bool, n)
	for attempt := 0; len(out) < n; attempt++ {
		if attempt == 5 {
			return nil, fmt.Errorf("imports: could not draw %d free membership numbers", n)
		}
		var draw []string
		for len(out)+len(draw) < n {
			if no := membership.New(); !seen[no] {
				seen[no] = true
				draw = append(draw, no)
			}
		}
		taken, err := store.TakenMembershipNos(ctx, tx, draw)
		if err != nil {
			return nil, err
		}
		for _, no := range draw {
			if _, held := taken[no]; !held {
				out = append(out, no)
			}
		}
	}
	return out, nil
}

// chunkResult is what loading (or planning) one chunk found.
type chunkResult struct {
	rows    int
	through int64
	counts  [4]int64 // by Outcome
}

// loadChunk loads the staged rows after imp's loaded_through, up to
// im.chunk of them, in one short transaction; rows == 0 when none are
// left. A number someone took meanwhile (PostgreSQL: a call from that
// phone while the chunk ran) fails the chunk, which is tried again.
func (im *Importer) loadChunk(ctx context.Context, imp store.Import) (chunkResult, error) {
	return im.loadTurn(ctx, imp, nil)
}

// loadTurn is loadChunk taking turns with other writers (t).
func (im *Importer) loadTurn(ctx context.Context, imp store.Import, t *turns) (chunkResult, error) {
	var res chunkResult
	var err error
	for range 3 {
		start := time.Now()
		err = im.db.Update(ctx, func(tx *store.Tx) error {
			res = chunkResult{}
			if err := t.seen(ctx, tx); err != nil {
				return err
			}
			cur, err := store.GetImport(ctx, tx, imp.ID)
			if err != nil {
				return err
			}
			rows, err := store.StagedRows(ctx, tx, imp.ID, cur.LoadedThrough, t.size(im.chunk))
			if err != nil || len(rows) == 0 {
				return err
			}
			c, err := im.planChunk(ctx, tx, cur, rows, true)
			if err != nil {
				return err
			}
			res = chunkResult{rows: len(rows), through: c.Through, counts: [4]int64{c.New, c.Updated, c.Unchanged, c.Refused}}
			return store.LoadImportChunk(ctx, tx, c)
		})
		if apperr.CodeOf(err) != apperr.Conflict {
			t.took(res.rows, time.Since(start))
			return res, err
		}
	}
	return res, err
}

// planChunk applies the merge rules to rows; with numbered (loading),
// members get fresh membership numbers (a dry run needs none) and the
// people found are locked.
func (im *Importer) planChunk(ctx context.Context, tx *store.Tx, imp store.Import, rows []store.StagedRow, numbered bool) (store.ImportChunk, error) {
	ks, err := im.lookup(ctx, tx, imp.DriveID, rows, numbered)
	if err != nil {
		return store.ImportChunk{}, err
	}
	var nos []string
	if numbered {
		adults := 0
		for _, r := range rows {
			if r.Adult {
				adults++
			}
		}
		if nos, err = numbers(ctx, tx, adults); err != nil {
			return store.ImportChunk{}, err
		}
	}
	c := store.ImportChunk{ImportID: imp.ID, DriveID: imp.DriveID, Through: rows[len(rows)-1].Line}
	planned := make(map[int64]bool) // people an earlier row of this chunk (another phone of theirs) joined or filled
	for i, r := range rows {
		no := ""
		if r.Adult && len(nos) > 0 {
			no, nos = nos[0], nos[1:]
		}
		k := ks[i]
		if k.matched && planned[k.match.PersonID] {
			k.match.InDrive = true // joined by that row: this one fills only what is still empty
		}
		if k.matched {
			planned[k.match.PersonID] = true
		}
		p, outcome := plan(imp, r, k, no)
		switch outcome {
		case RowNew:
			c.New++
		case RowUpdated:
			c.Updated++
		case RowUnchanged:
			c.Unchanged++
		case RowRefused:
			c.Refused++
			continue
		}
		if outcome != RowUnchanged {
			c.People = append(c.People, p)
		}
	}
	return c, nil
}
