package store

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jodo-org/jodo/internal/apperr"
)

// ImportEvidence prefixes the evidence of every consent import id
// granted, so undoing it finds them: "import:12 " + what the file said.
func ImportEvidence(id int64) string { return "import:" + strconv.FormatInt(id, 10) + " " }

// FinishImport counts a loaded import, once, in one transaction: what
// its chunks did (import_counts: a lead for every participation it
// created, a member for each it registered, a volunteer for each
// volunteering), at their areas, on the import's day, under channel
// import; never verified (an imported phone is not proven). What people
// did meanwhile was counted as they did it. Its staged rows are purged and
// it is done. An import with staged rows not yet loaded, or not loading
// (finished by another run meanwhile), is a conflict.
func FinishImport(ctx context.Context, tx *Tx, id int64) (Import, error) {
	// The state changes first: on PostgreSQL that locks the import's row,
	// so a second finish (or an undo) waits, then finds it done.
	res, err := tx.exec(ctx, `UPDATE imports SET state = $1, finished_at = $2 WHERE id = $3 AND state = $4`,
		ImportDone, ms(tx.Now), id, ImportLoading)
	if err != nil {
		return Import{}, fmt.Errorf("store: finish import %d: %w", id, err)
	}
	imp, err := GetImport(ctx, tx, id)
	if err != nil {
		return Import{}, err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return Import{}, apperr.New(apperr.Conflict, "import %d is %s, not loading", id, imp.State)
	}
	var left int64
	if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM import_rows WHERE import_id = $1 AND line > $2`, id, imp.LoadedThrough).
		Scan(&left); err != nil {
		return Import{}, fmt.Errorf("store: rows left of import %d: %w", id, err)
	}
	if left > 0 {
		return Import{}, apperr.New(apperr.Conflict, "import %d has %d rows still to load", id, left)
	}
	if err := flushImportCounts(ctx, tx, imp); err != nil {
		return Import{}, err
	}
	return imp, purgeStaged(ctx, tx, id)
}

// tallyImported adds what a chunk's rows did to the import's pending
// counts, in the chunk's transaction.
func tallyImported(ctx context.Context, tx *Tx, c ImportChunk) error {
	type key struct {
		area   int64
		metric string
	}
	tally := map[key]int64{}
	for _, p := range c.People {
		if !p.Join {
			continue
		}
		tally[key{p.AreaID, StageLead.Metric()}]++
		if p.Registered {
			tally[key{p.AreaID, StageRegistered.Metric()}]++
		}
		if p.Volunteer {
			tally[key{p.AreaID, StageVolunteer.Metric()}]++
		}
	}
	keys := make([]key, 0, len(tally))
	for k := range tally {
		keys = append(keys, k)
	}
	return bulkInsert(ctx, tx, `INSERT INTO import_counts (import_id, area_id, metric, value) VALUES `,
		` ON CONFLICT (import_id, area_id, metric) DO UPDATE SET value = import_counts.value + excluded.value`, 4, len(keys),
		func(n int, args []any) []any {
			return append(args, c.ImportID, keys[n].area, keys[n].metric, tally[keys[n]])
		})
}

// flushImportCounts moves an import's pending counts into the counters.
func flushImportCounts(ctx context.Context, tx *Tx, imp Import) error {
	rows, err := tx.query(ctx, `SELECT area_id, metric, value FROM import_counts WHERE import_id = $1`, imp.ID)
	if err != nil {
		return fmt.Errorf("store: counts of import %d: %w", imp.ID, err)
	}
	var deltas []CounterDelta
	for rows.Next() {
		d := CounterDelta{DriveID: imp.DriveID, Day: imp.Day, Channel: ChannelImport}
		if err := rows.Scan(&d.AreaID, &d.Metric, &d.Value); err != nil {
			rows.Close()
			return fmt.Errorf("store: counts of import %d: %w", imp.ID, err)
		}
		deltas = append(deltas, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: counts of import %d: %w", imp.ID, err)
	}
	if err := AddCounters(ctx, tx, deltas); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM import_counts WHERE import_id = $1`, imp.ID); err != nil {
		return fmt.Errorf("store: counts of import %d: %w", imp.ID, err)
	}
	return nil
}

// undoDeltas takes the participations undo_parts names off the counters,
// by area: untouched ones, whose stages and area (an import always gives
// one) are still the ones the import set and tallied.
func undoDeltas(ctx context.Context, tx *Tx, imp Import) ([]CounterDelta, error) {
	rows, err := tx.query(ctx, `SELECT pa.area_id, COUNT(*), COUNT(pa.registered_at), COUNT(pa.volunteer_at)
		FROM participations pa WHERE pa.import_id = $1 AND pa.id IN (SELECT id FROM undo_parts) GROUP BY pa.area_id`, imp.ID)
	if err != nil {
		return nil, fmt.Errorf("store: count import %d: %w", imp.ID, err)
	}
	defer rows.Close()
	var out []CounterDelta
	for rows.Next() {
		var area, leads, members, volunteers int64
		if err := rows.Scan(&area, &leads, &members, &volunteers); err != nil {
			return nil, fmt.Errorf("store: count import %d: %w", imp.ID, err)
		}
		for _, d := range []struct {
			stage Stage
			n     int64
		}{{StageLead, leads}, {StageRegistered, members}, {StageVolunteer, volunteers}} {
			if d.n > 0 {
				out = append(out, CounterDelta{DriveID: imp.DriveID, AreaID: area, Metric: d.stage.Metric(), Day: imp.Day,
					Channel: ChannelImport, Value: -d.n})
			}
		}
	}
	return out, rows.Err()
}

// untouchedParticipation holds for an imported participation (pa) that
// nobody has acted on since: no stage its person reached themselves or
// lost, no link sent, no group, post, credit or edit of their
// volunteering, no consent of theirs withdrawn (a withdrawal is kept).
const untouchedParticipation = `pa.verified_at IS NULL AND pa.active_at IS NULL AND pa.last_followup_at IS NULL
	AND pa.referred_by IS NULL AND pa.registered_by IS NULL AND pa.lead_at = pa.first_seen_at
	AND (pa.registered_at IS NULL OR pa.registered_at = pa.first_seen_at)
	AND (pa.volunteer_at IS NULL OR pa.volunteer_at = pa.first_seen_at)
	AND NOT EXISTS (SELECT 1 FROM join_links j WHERE j.participation_id = pa.id)
	AND NOT EXISTS (SELECT 1 FROM chat_groups g WHERE g.participation_id = pa.id)
	AND NOT EXISTS (SELECT 1 FROM appointments a WHERE a.participation_id = pa.id)
	AND NOT EXISTS (SELECT 1 FROM registration_marks m WHERE m.participation_id = pa.id)
	AND NOT EXISTS (SELECT 1 FROM referral_credited r WHERE r.participation_id = pa.id)
	AND NOT EXISTS (SELECT 1 FROM volunteers v WHERE v.participation_id = pa.id
		AND (v.updated_at <> v.started_at OR v.ended_at IS NOT NULL))
	AND NOT EXISTS (SELECT 1 FROM consents c WHERE c.person_id = pa.person_id AND c.withdrawn_at IS NOT NULL)`

// untouchedPerson holds for a person (p) an import created whom nobody
// has acted on since: not edited or erased, no proven or other contact,
// no consent of their own (given or withdrawn), no other drive, no
// message either way, no sign-in, role, handle, group, post, code,
// notice or request handled by staff.
const untouchedPerson = `p.updated_at = p.created_at AND p.erased_at IS NULL
	AND NOT EXISTS (SELECT 1 FROM contact_points c WHERE c.person_id = p.id AND (c.verified_at IS NOT NULL OR c.kind <> 'phone'))
	AND NOT EXISTS (SELECT 1 FROM consents c WHERE c.person_id = p.id AND (c.channel <> 'import' OR c.withdrawn_at IS NOT NULL))
	AND NOT EXISTS (SELECT 1 FROM participations o WHERE o.person_id = p.id AND (o.import_id IS NULL OR o.import_id <> p.import_id))
	AND NOT EXISTS (SELECT 1 FROM participations r WHERE r.referred_by = p.id OR r.registered_by = p.id)
	AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.person_id = p.id)
	AND NOT EXISTS (SELECT 1 FROM inbox i WHERE i.person_id = p.id)
	AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.person_id = p.id)
	AND NOT EXISTS (SELECT 1 FROM conversations c WHERE c.person_id = p.id)
	AND NOT EXISTS (SELECT 1 FROM staff_roles r WHERE r.person_id = p.id)
	AND NOT EXISTS (SELECT 1 FROM signin_links l WHERE l.person_id = p.id)
	AND NOT EXISTS (SELECT 1 FROM handles h WHERE h.person_id = p.id)
	AND NOT EXISTS (SELECT 1 FROM referral_codes r WHERE r.person_id = p.id)
	AND NOT EXISTS (SELECT 1 FROM recruiter_credits r WHERE r.person_id = p.id)
	AND NOT EXISTS (SELECT 1 FROM import_notices n WHERE n.person_id = p.id)
	AND NOT EXISTS (SELECT 1 FROM person_requests q WHERE q.person_id = p.id)`

// UndoResult is what undoing an import did.
type UndoResult struct {
	Removed int64 // participations removed (with the people the import created for them)
	Kept    int64 // participations kept: someone acted on them, or on their person, since
}

// UndoImport removes, in one transaction, what import id created that
// nobody has touched since: its participations (with their volunteer
// records and the consents it granted) and the people it created. Its
// counts go back by what is removed, on its own day and channel, so the
// counters are what they were without it (a loading import is counted
// first for what it did, so what stays is counted once). Details it filled in for people who existed stay. Rows someone
// acted on are kept and counted in Kept. The import is then undone and
// its staged rows purged.
func UndoImport(ctx context.Context, tx *Tx, id int64) (UndoResult, error) {
	imp, err := GetImport(ctx, tx, id)
	if err != nil {
		return UndoResult{}, err
	}
	if imp.State != ImportLoading && imp.State != ImportDone {
		return UndoResult{}, apperr.New(apperr.Conflict, "import %d is %s: nothing to undo", id, imp.State)
	}
	// The state changes first: on PostgreSQL that locks the import's row,
	// so a chunk being loaded commits before (and is undone with the rest)
	// or finds the import undone and writes nothing; a finish or another
	// undo meanwhile makes this a conflict.
	res0, err := tx.exec(ctx, `UPDATE imports SET state = $1, undone_at = $2 WHERE id = $3 AND state = $4`,
		ImportUndone, ms(tx.Now), id, imp.State)
	if err != nil {
		return UndoResult{}, fmt.Errorf("store: undo import %d: %w", id, err)
	}
	if n, err := res0.RowsAffected(); err != nil || n != 1 {
		return UndoResult{}, apperr.New(apperr.Conflict, "import %d changed while it was being undone: look at jodo import list", id)
	}
	// A loading import is counted first for what it did, as a finish would:
	// what stays (rows someone acted on) stays counted, what goes is
	// taken off below.
	if err := flushImportCounts(ctx, tx, imp); err != nil {
		return UndoResult{}, err
	}
	// undo_parts is the connection's own scratch table, emptied before
	// and after use.
	for _, q := range []string{`CREATE TEMPORARY TABLE IF NOT EXISTS undo_parts (id BIGINT PRIMARY KEY,
		person_id BIGINT NOT NULL, created INTEGER NOT NULL)`, `DELETE FROM undo_parts`} {
		if _, err := tx.exec(ctx, q); err != nil {
			return UndoResult{}, fmt.Errorf("store: undo import %d: %w", id, err)
		}
	}
	// The participations to remove: untouched, and, when the import
	// created their person, the person untouched too.
	if _, err := tx.exec(ctx, `INSERT INTO undo_parts (id, person_id, created)
		SELECT pa.id, pa.person_id, CASE WHEN p.import_id = $1 THEN 1 ELSE 0 END
		FROM participations pa JOIN people p ON p.id = pa.person_id
		WHERE pa.import_id = $1 AND `+untouchedParticipation+`
		AND (p.import_id IS NULL OR p.import_id <> $1 OR (`+untouchedPerson+`))`, id); err != nil {
		return UndoResult{}, fmt.Errorf("store: undo import %d: %w", id, err)
	}
	var res UndoResult
	if err := tx.queryRow(ctx, `SELECT (SELECT COUNT(*) FROM undo_parts),
		(SELECT COUNT(*) FROM participations WHERE import_id = $1) - (SELECT COUNT(*) FROM undo_parts)`, id).
		Scan(&res.Removed, &res.Kept); err != nil {
		return UndoResult{}, fmt.Errorf("store: undo import %d: %w", id, err)
	}
	deltas, err := undoDeltas(ctx, tx, imp)
	if err != nil {
		return UndoResult{}, err
	}
	if err := AddCounters(ctx, tx, deltas); err != nil {
		return UndoResult{}, err
	}
	if err := removeUndone(ctx, tx, id); err != nil {
		return UndoResult{}, err
	}
	return res, purgeStaged(ctx, tx, id)
}

// removeUndone deletes what undo_parts names: the participations, their
// volunteer records, the consents import id granted their people, and
// the people it created, with their phones and name keys.
func removeUndone(ctx context.Context, tx *Tx, id int64) error {
	created := `(SELECT person_id FROM undo_parts WHERE created = 1)`
	for _, q := range []string{
		`DELETE FROM volunteers WHERE participation_id IN (SELECT id FROM undo_parts)`,
		`DELETE FROM participations WHERE id IN (SELECT id FROM undo_parts)`,
		`DELETE FROM consents WHERE person_id IN (SELECT person_id FROM undo_parts) AND channel = 'import'
			AND withdrawn_at IS NULL AND substr(evidence, 1, ` + strconv.Itoa(len(ImportEvidence(id))) + `) = '` + ImportEvidence(id) + `'`,
		`DELETE FROM consents WHERE person_id IN ` + created,
		`DELETE FROM person_name_keys WHERE person_id IN ` + created,
		`DELETE FROM contact_points WHERE person_id IN ` + created,
		`DELETE FROM people WHERE id IN ` + created,
		`DELETE FROM undo_parts`,
	} {
		if _, err := tx.exec(ctx, q); err != nil {
			return fmt.Errorf("store: undo import %d: %w", id, err)
		}
	}
	return nil
}
